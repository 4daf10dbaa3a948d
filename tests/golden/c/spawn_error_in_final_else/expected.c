#include <stdio.h>
#include <unistd.h>
#include <sys/wait.h>
#include <errno.h>
#include <spawn.h>
extern char **environ;

static int start(char **argv)
{
	pid_t pid;

	{
		int spawn_err;

		spawn_err = posix_spawn(&pid, argv[0], NULL, NULL, argv, environ);
		if (spawn_err != 0) {
			errno = spawn_err;
			pid = -1;
		}
	}
	if (pid > 0) {
		return pid;
	} else {
		perror("vfork");
		return -1;
	}
}

int main(void)
{
	char *argv[] = { "/bin/echo", "error in the final else", NULL };
	int status;

	fflush(stdout);
	waitpid(start(argv), &status, 0);
	printf("status %d\n", WEXITSTATUS(status));
	return 0;
}
