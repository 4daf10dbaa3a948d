#include <stdio.h>
#include <unistd.h>
#include <sys/wait.h>
#include <errno.h>
#include <spawn.h>
extern char **environ;

int main(void)
{
	pid_t pid;
	int status;

	fflush(stdout);
#ifdef HAVE_VFORK
	{
		char *spawn_argv[3];
		int spawn_err;

		spawn_argv[0] = "echo";
		spawn_argv[1] = "whole site in one branch";
		spawn_argv[2] = NULL;
		spawn_err = posix_spawn(&pid, "/bin/echo", NULL, NULL, spawn_argv, environ);
		if (spawn_err != 0) {
			errno = spawn_err;
			pid = -1;
		}
	}
	if (pid < 0)
		return 1;
#else
	pid = fork();
	if (pid < 0)
		return 1;
	if (pid == 0) {
		execl("/bin/echo", "echo", "whole site in one branch", (char *)NULL);
		_exit(127);
	}
#endif
	waitpid(pid, &status, 0);
	printf("status %d\n", WEXITSTATUS(status));
	return 0;
}
