#include <stdio.h>
#include <unistd.h>
#include <sys/wait.h>
#include <errno.h>
#include <spawn.h>
extern char **environ;

static int spawn_err = 7;

int main(void)
{
	char *spawn_argv[] = { "echo", "names", "kept", NULL };
	pid_t pid;
	int status;

	fflush(stdout);
	{
		char *spawn_argv2[4];
		int spawn_err2;

		spawn_argv2[0] = (char *)spawn_argv[0];
		spawn_argv2[1] = (char *)spawn_argv[1];
		spawn_argv2[2] = (char *)spawn_argv[2];
		spawn_argv2[3] = NULL;
		spawn_err2 = posix_spawn(&pid, "/bin/echo", NULL, NULL, spawn_argv2, environ);
		if (spawn_err2 != 0) {
			errno = spawn_err2;
			pid = -1;
		}
	}
	if (pid < 0)
		return spawn_err;
	waitpid(pid, &status, 0);
	printf("status %d\n", WEXITSTATUS(status));
	return 0;
}
