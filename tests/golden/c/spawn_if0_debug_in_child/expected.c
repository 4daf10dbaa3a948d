#include <stdio.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>
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
	if (pid < 0)
		return -1;
	waitpid(pid, &status, 0);
	return WEXITSTATUS(status);
}

int main(void)
{
	char *echo[] = { "/bin/echo", "debug block left out", NULL };

	fflush(stdout);
	printf("echo: %d\n", run(echo));
	return 0;
}
