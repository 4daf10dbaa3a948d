#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int noisy(char **argv)
{
	pid_t pid = vfork();

	if (pid < 0)
		return -1;
	if (pid == 0) {
		printf("starting %s\n", argv[0]);
		setenv("MODE", "child", 1);
		execv(argv[0], argv);
		_exit(127);
	}
	return pid;
}
