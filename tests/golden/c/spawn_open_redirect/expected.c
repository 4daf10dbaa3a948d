#include <stdio.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/wait.h>
#include <errno.h>
#include <spawn.h>
extern char **environ;

int main(void)
{
	pid_t pid;
	int status;
	FILE *f;
	char line[64];

	{
		posix_spawn_file_actions_t spawn_fa;
		char *spawn_argv[3];
		int spawn_err;

		posix_spawn_file_actions_init(&spawn_fa);
		posix_spawn_file_actions_addopen(&spawn_fa, 1, "out.txt", O_WRONLY | O_CREAT | O_TRUNC, 0644);
		spawn_argv[0] = "echo";
		spawn_argv[1] = "redirected";
		spawn_argv[2] = NULL;
		spawn_err = posix_spawn(&pid, "/bin/echo", &spawn_fa, NULL, spawn_argv, environ);
		posix_spawn_file_actions_destroy(&spawn_fa);
		if (spawn_err != 0) {
			errno = spawn_err;
			pid = -1;
		}
	}
	if (pid == -1) {
		perror("vfork");
		return 1;
	}
	waitpid(pid, &status, 0);
	f = fopen("out.txt", "r");
	if (f && fgets(line, sizeof line, f))
		printf("file holds: %s", line);
	return WEXITSTATUS(status);
}
