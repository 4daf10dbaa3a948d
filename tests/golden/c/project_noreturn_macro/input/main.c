#include <stdio.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>
#include "cdefs.h"

static int run(char **argv)
{
	pid_t pid;
	int status;

	switch (pid = vfork()) {
	case -1:
		fatal("vfork");
	case 0:
		execv(argv[0], argv);
		_exit(127);
	}
	waitpid(pid, &status, 0);
	return WEXITSTATUS(status);
}

int main(void)
{
	char *argv[] = { "/bin/echo", "no break needed", NULL };

	fflush(stdout);
	printf("status: %d\n", run(argv));
	return 0;
}
