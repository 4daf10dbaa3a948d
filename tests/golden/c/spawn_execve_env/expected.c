#include <stdio.h>
#include <unistd.h>
#include <sys/wait.h>
#include <errno.h>
#include <spawn.h>

int main(void)
{
	char *argv[] = { "sh", "-c", "echo GREETING=$GREETING", NULL };
	char *envp[] = { "GREETING=hi from envp", NULL };
	pid_t pid;
	int status;

	fflush(stdout);
	{
		int spawn_err;

		spawn_err = posix_spawn(&pid, "/bin/sh", NULL, NULL, argv, envp);
		if (spawn_err != 0) {
			errno = spawn_err;
			pid = -1;
		}
	}
	if (pid < 0)
		return 1;
	waitpid(pid, &status, 0);
	printf("status %d\n", WEXITSTATUS(status));
	return 0;
}
