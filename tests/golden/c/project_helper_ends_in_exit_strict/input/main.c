#include <stdio.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>
#include "fail.h"

static int plain(char *path, char **argv)
{
	pid_t pid;
	int status;

	pid = vfork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		execv(path, argv);
		fail(path);
	}
	waitpid(pid, &status, 0);
	return WEXITSTATUS(status);
}

static int masked(char *path, char **argv)
{
	pid_t pid;
	int status;

	pid = vfork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		umask(077);
		execv(path, argv);
		fail(path);
	}
	waitpid(pid, &status, 0);
	return WEXITSTATUS(status);
}

int main(void)
{
	char *argv[] = { "echo", "ran", NULL };

	fflush(stdout);
	printf("plain: %d\n", plain("/bin/echo", argv));
	fflush(stdout);
	printf("masked: %d\n", masked("/bin/echo", argv));
	/* The exec fails: fail() says so and exits 3.  The parent flushed
	 * first, so the fork child's exit() has no copy of its output to
	 * write a second time (docs/verdicts.md: what a rewrite may change). */
	fflush(stdout);
	printf("missing: %d\n", plain("/nonexistent/prog", argv));
	return 0;
}
