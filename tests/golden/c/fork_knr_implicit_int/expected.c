#include <stdio.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>
#include <errno.h>
#include <spawn.h>
extern char **environ;

/* K&R: implicit int, parameter declarations, register locals. */
run(path, word)
	char *path;
	char *word;
{
	register int pid;
	int status;

	{
		char *spawn_argv[3];
		pid_t spawn_pid;
		int spawn_err;

		spawn_argv[0] = (char *)path;
		spawn_argv[1] = (char *)word;
		spawn_argv[2] = NULL;
		spawn_err = posix_spawn(&spawn_pid, path, NULL, NULL, spawn_argv, environ);
		if (spawn_err != 0) {
			errno = spawn_err;
			pid = -1;
		} else {
			pid = spawn_pid;
		}
	}
	if (pid < 0)
		return -1;
	waitpid(pid, &status, 0);
	return WEXITSTATUS(status);
}

int main(void)
{
	fflush(stdout);
	printf("status: %d\n", run("/bin/echo", "old C"));
	return 0;
}
