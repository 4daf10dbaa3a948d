#include <stdio.h>
#include <unistd.h>
#include <sys/wait.h>
#include <errno.h>
#include <spawn.h>
extern char **environ;

int main(void)
{
	char *argv[] = { "echo", "declared", NULL };

	fflush(stdout);
	pid_t pid;
	int status;

	{
		int spawn_err;

		spawn_err = posix_spawn(&pid, "/bin/echo", NULL, NULL, argv, environ);
		if (spawn_err != 0) {
			errno = spawn_err;
			pid = -1;
		}
	}
	if (pid < 0) {
		perror("vfork");
		return 1;
	}
	waitpid(pid, &status, 0);
	printf("done %d\n", WEXITSTATUS(status));
	return 0;
}
