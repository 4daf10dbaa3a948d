#include <stdio.h>
#include <unistd.h>
#include <sys/wait.h>
#include <errno.h>
#include <spawn.h>
extern char **environ;

int main(void)
{
	char *argv[] = { "sh", "-c", "echo from sh; exit 3", NULL };
	pid_t pid;
	int status;

	fflush(stdout);
	{
		int spawn_err;

		spawn_err = posix_spawn(&pid, "/bin/sh", NULL, NULL, argv, environ);
		if (spawn_err != 0) {
			errno = spawn_err;
			pid = -1;
		}
	}
	if (pid == -1)
		return 1;
	waitpid(pid, &status, 0);
	printf("child said %d\n", WEXITSTATUS(status));
	return 0;
}
