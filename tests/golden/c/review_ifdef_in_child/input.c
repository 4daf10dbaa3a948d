#include <stdio.h>
#include <unistd.h>

int run(char **argv)
{
	pid_t pid = vfork();

	if (pid < 0)
		return -1;
	if (pid == 0) {
#ifdef DEBUG
		fprintf(stderr, "running %s\n", argv[0]);
#endif
		execv(argv[0], argv);
		_exit(127);
	}
	return pid;
}
