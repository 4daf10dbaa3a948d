#include <stdio.h>

#include "compat.h"

pid_t checked(pid_t pid)
{
	if (pid == -1) {
		perror("vfork");
		_exit(1);
	}
	return pid;
}
