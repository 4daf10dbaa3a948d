#include <stdio.h>
#include <unistd.h>
#include <sys/wait.h>
#include <errno.h>
#include <spawn.h>
extern char **environ;

int main(void)
{
	char *argv[] = { "echo", "child in else", NULL };
	pid_t pid;
	int status;

	fflush(stdout);
	{
		int spawn_err;

		spawn_err = posix_spawnp(&pid, "echo", NULL, NULL, argv, environ);
		if (spawn_err != 0) {
			errno = spawn_err;
			pid = -1;
		}
	}
	if (pid != 0) {
		if (pid < 0)
			return 1;
		waitpid(pid, &status, 0);
		printf("parent saw %d\n", WEXITSTATUS(status));
	}
	return 0;
}
