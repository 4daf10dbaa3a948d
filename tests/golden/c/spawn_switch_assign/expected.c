#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/wait.h>
#include <errno.h>
#include <spawn.h>
extern char **environ;

int main(void)
{
	pid_t pid;
	int status = 0;

	fflush(stdout);
	{
		char *spawn_argv[4];
		int spawn_err;

		spawn_argv[0] = "sh";
		spawn_argv[1] = "-c";
		spawn_argv[2] = "echo switched; exit 4";
		spawn_argv[3] = NULL;
		spawn_err = posix_spawn(&pid, "/bin/sh", NULL, NULL, spawn_argv, environ);
		if (spawn_err != 0) {
			errno = spawn_err;
			pid = -1;
		}
	}
	switch (pid) {
	case -1:
		perror("vfork");
		exit(1);
	default:
		waitpid(pid, &status, 0);
		break;
	}
	printf("status %d\n", WEXITSTATUS(status));
	return 0;
}
