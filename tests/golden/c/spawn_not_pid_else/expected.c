#include <stdio.h>
#include <unistd.h>
#include <sys/wait.h>
#include <errno.h>
#include <spawn.h>
extern char **environ;

int main(void)
{
	char *argv[] = { "echo", "not-pid", NULL };
	pid_t pid;
	int status = 0;

	fflush(stdout);
	{
		int spawn_err;

		spawn_err = posix_spawn(&pid, "/bin/echo", NULL, NULL, argv, environ);
		if (spawn_err != 0) {
			errno = spawn_err;
			pid = -1;
		}
	}
	{
		if (pid == -1) {
			perror("vfork");
			return 1;
		}
		waitpid(pid, &status, 0);
	}
	printf("exit %d\n", WEXITSTATUS(status));
	return 0;
}
