#include <stdio.h>
#include <sys/wait.h>

#include "compat.h"

static int run(char **argv)
{
	pid_t pid;
	int status;

	pid = XVFORK();
	if (pid == 0) {
		execv(argv[0], argv);
		_exit(127);
	}
	waitpid(pid, &status, 0);
	return WEXITSTATUS(status);
}

int main(void)
{
	char *argv[] = { "/bin/echo", "through a checker", NULL };

	fflush(stdout);
	printf("run: %d\n", run(argv));
	return 0;
}
