#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>
#include <errno.h>
#include <spawn.h>
extern char **environ;

static char *const argv[] = { "echo", "through a pipe", NULL };

int main(void)
{
	int fds[2];
	char buf[128];
	ssize_t n;
	pid_t pid;

	if (pipe(fds) < 0)
		return 1;
	{
		posix_spawn_file_actions_t spawn_fa;
		int spawn_err;

		posix_spawn_file_actions_init(&spawn_fa);
		posix_spawn_file_actions_addclose(&spawn_fa, fds[0]);
		posix_spawn_file_actions_adddup2(&spawn_fa, fds[1], 1);
		posix_spawn_file_actions_addclose(&spawn_fa, fds[1]);
		spawn_err = posix_spawn(&pid, "/bin/echo", &spawn_fa, NULL, argv, environ);
		posix_spawn_file_actions_destroy(&spawn_fa);
		if (spawn_err != 0) {
			errno = spawn_err;
			pid = -1;
		}
	}
	if (pid < 0)
		return 1;
	close(fds[1]);
	n = read(fds[0], buf, sizeof buf - 1);
	buf[n > 0 ? n : 0] = '\0';
	waitpid(pid, NULL, 0);
	printf("parent read: %s", buf);
	return 0;
}
