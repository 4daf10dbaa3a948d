#include <stdio.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>
#include "cdefs.h"
#include <errno.h>
#include <spawn.h>
extern char **environ;

static int run(char **argv)
{
	pid_t pid;
	int status;

	{
		int spawn_err;

		spawn_err = posix_spawn(&pid, argv[0], NULL, NULL, argv, environ);
		if (spawn_err != 0) {
			errno = spawn_err;
			pid = -1;
		}
	}
	switch (pid) {
	case -1:
		fatal("vfork");
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
