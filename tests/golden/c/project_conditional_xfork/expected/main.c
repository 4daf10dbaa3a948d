#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "util.h"

/* No-MMU builds vfork; the others fork (busybox's BB_MMU idiom). */
#ifndef USE_FORK
#define USE_FORK 0
#endif

static int run(char **argv)
{
	pid_t pid;
	int status;

	pid = USE_FORK ? xfork() : fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		execv(argv[0], argv);
		_exit(127);
	}
	waitpid(pid, &status, 0);
	return WEXITSTATUS(status);
}

int main(void)
{
	char *argv[] = { "/bin/echo", "xfork in another file", NULL };

	fflush(stdout);
	printf("run: %d\n", run(argv));
	return 0;
}
