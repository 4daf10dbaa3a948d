#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "util.h"

pid_t xfork(void)
{
	pid_t pid;

	pid = fork();
	if (pid < 0) {
		perror("fork");
		exit(1);
	}
	return pid;
}
