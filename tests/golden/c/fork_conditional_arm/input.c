#include <stdio.h>
#include <stdlib.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

/* No-MMU builds vfork; the others fork (busybox's BB_MMU idiom). */
#ifndef USE_FORK
#define USE_FORK 0
#endif

static int run(char **argv)
{
	pid_t pid;
	int status;

	pid = USE_FORK ? fork() : vfork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		execv(argv[0], argv);
		_exit(127);
	}
	waitpid(pid, &status, 0);
	return WEXITSTATUS(status);
}

static int run_in_condition(char **argv)
{
	pid_t pid;
	int status;

	if ((pid = (USE_FORK ? fork() : vfork())) == 0) {
		execv(argv[0], argv);
		exit(127);
	}
	if (pid < 0)
		return -1;
	waitpid(pid, &status, 0);
	return WEXITSTATUS(status);
}

/* The other arm is no fork: with argv[2] set, pid 0 is the parent itself. */
static int run_unless(char **argv)
{
	pid_t pid;
	int status;

	pid = argv[2] ? 0 : vfork();
	if (pid == 0) {
		execv(argv[0], argv);
		_exit(127);
	}
	if (pid < 0)
		return -1;
	waitpid(pid, &status, 0);
	return WEXITSTATUS(status);
}

int main(void)
{
	char *argv[] = { "/bin/echo", "one arm forks", NULL };

	fflush(stdout);
	printf("run: %d\n", run(argv));
	fflush(stdout);
	printf("run_in_condition: %d\n", run_in_condition(argv));
	fflush(stdout);
	printf("run_unless: %d\n", run_unless(argv));
	return 0;
}
