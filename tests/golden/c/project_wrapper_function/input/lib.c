#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include "lib.h"

/* Old convenience wrapper: the child returns from it into the caller. */
pid_t xvfork(void)
{
	pid_t pid = vfork();

	if (pid < 0) {
		perror("vfork");
		exit(1);
	}
	return pid;
}
