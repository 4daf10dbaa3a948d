/*
 * launch.c -- start helper programs for legacyd.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "compat.h"

/* Run PROG with its stdout on a pipe; the read end goes to *OUTFD. */
int
run_filter(const char *prog, char *const argv[], int *outfd)
{
	int fds[2];
	pid_t pid;

	if (pipe(fds) < 0)
		return -1;
	pid = vfork();
	if (pid < 0) {
		close(fds[0]);
		close(fds[1]);
		return -1;
	}
	if (pid == 0) {
		close(fds[0]);
		dup2(fds[1], 1);
		close(fds[1]);
		execv(prog, argv);
		_exit(127);
	}
	close(fds[1]);
	*outfd = fds[0];
	return pid;
}

/* Start CMD in its own session, in directory DIR. */
pid_t
run_detached(const char *dir, const char *cmd)
{
	pid_t pid;

	if ((pid = vfork()) == -1) {
		perror("vfork");
		return -1;
	} else if (pid == 0) {
		setsid();
		chdir(dir);
		execlp("sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	return pid;
}
