#include <stdio.h>
#include <unistd.h>
#include <sys/wait.h>
#include <errno.h>
#include <spawn.h>
extern char **environ;

static int wait_for(pid_t pid)
{
	int status;

	waitpid(pid, &status, 0);
	return WEXITSTATUS(status);
}

int main(void)
{
	char *envp[] = { "WHO=execle", NULL };
	pid_t pid;

	fflush(stdout);
	{
		char *spawn_argv[4];
		int spawn_err;

		spawn_argv[0] = "sh";
		spawn_argv[1] = "-c";
		spawn_argv[2] = "echo $WHO";
		spawn_argv[3] = NULL;
		spawn_err = posix_spawn(&pid, "/bin/sh", NULL, NULL, spawn_argv, envp);
		if (spawn_err != 0) {
			errno = spawn_err;
			pid = -1;
		}
	}
	if (pid < 0)
		return 1;
	printf("first %d\n", wait_for(pid));
	fflush(stdout);
	{
		char *spawn_argv[4];
		int spawn_err;

		spawn_argv[0] = "sh";
		spawn_argv[1] = "-c";
		spawn_argv[2] = "echo execlp; exit 2";
		spawn_argv[3] = NULL;
		spawn_err = posix_spawnp(&pid, "sh", NULL, NULL, spawn_argv, environ);
		if (spawn_err != 0) {
			errno = spawn_err;
			pid = -1;
		}
	}
	if (pid < 0)
		return 1;
	printf("second %d\n", wait_for(pid));
	return 0;
}
