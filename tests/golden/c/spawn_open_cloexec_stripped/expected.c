/* stdin is closed first, so open() cannot return 1: the move onto 1 is
 * exact, and the copy dup2 makes never has close-on-exec. */
#include <fcntl.h>
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
	char line[80];
	FILE *f;

	fflush(stdout);
	{
		posix_spawn_file_actions_t spawn_fa;
		char *spawn_argv[4];
		int spawn_err;

		posix_spawn_file_actions_init(&spawn_fa);
		posix_spawn_file_actions_addclose(&spawn_fa, 0);
		posix_spawn_file_actions_addopen(&spawn_fa, 1, "log.txt", O_WRONLY | O_CREAT | O_TRUNC, 0600);
		spawn_argv[0] = "sh";
		spawn_argv[1] = "-c";
		spawn_argv[2] = "echo logged; read x || echo stdin closed";
		spawn_argv[3] = NULL;
		spawn_err = posix_spawn(&pid, "/bin/sh", &spawn_fa, NULL, spawn_argv, environ);
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
	f = fopen("log.txt", "r");
	while (f != NULL && fgets(line, sizeof line, f))
		printf("log: %s", line);
	printf("status %d\n", WEXITSTATUS(status));
	return 0;
}
