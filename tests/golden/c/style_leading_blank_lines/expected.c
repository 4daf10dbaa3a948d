









#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/wait.h>
#include <errno.h>
#include <spawn.h>
extern char **environ;

static int run_echo(const char *msg)
{
	pid_t pid;
	int status;

	fflush(stdout);
	{
		char *spawn_argv[3];
		int spawn_err;

		spawn_argv[0] = "echo";
		spawn_argv[1] = (char *)msg;
		spawn_argv[2] = NULL;
		spawn_err = posix_spawn(&pid, "/bin/echo", NULL, NULL, spawn_argv, environ);
		if (spawn_err != 0) {
			errno = spawn_err;
			pid = -1;
		}
	}
	if (pid < 0) {
		perror("vfork");
		return -1;
	}
	if (waitpid(pid, &status, 0) < 0)
		return -1;
	return WEXITSTATUS(status);
}

int main(void)
{
	printf("status %d\n", run_echo("hello"));
	return 0;
}
