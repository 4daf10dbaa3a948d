#include <stdio.h>
#include <unistd.h>
#include <sys/wait.h>
#include <errno.h>
#include <spawn.h>
extern char **environ;

int
run(path, name)
	char *path;
	char *name;
{
	int pid;
	int status;

	{
		char *spawn_argv[3];
		pid_t spawn_pid;
		int spawn_err;

		spawn_argv[0] = (char *)name;
		spawn_argv[1] = "K&R";
		spawn_argv[2] = NULL;
		spawn_err = posix_spawn(&spawn_pid, path, NULL, NULL, spawn_argv, environ);
		if (spawn_err != 0) {
			errno = spawn_err;
			pid = -1;
		} else {
			pid = spawn_pid;
		}
	}
	if (pid == -1)
		return -1;
	waitpid(pid, &status, 0);
	return WEXITSTATUS(status);
}

int
main()
{
	fflush(stdout);
	printf("status %d\n", run("/bin/echo", "echo"));
	return 0;
}
