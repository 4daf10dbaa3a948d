/*
 * jobs.c -- batch jobs for legacyd.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "compat.h"

int
run_job(char *const argv[])
{
	pid_t pid;
	int status, fd;

	pid = vfork();
	if (pid == -1)
		return -1;
	if (pid == 0) {
		for (fd = 3; fd < 256; fd++)
			close(fd);
		umask(027);
		execvp(argv[0], argv);
		exit(127);
	}
	if (waitpid(pid, &status, 0) < 0)
		return -1;
	return WEXITSTATUS(status);
}

int
run_shell(const char *cmd)
{
	volatile int exec_errno = 0;
	pid_t pid;
	int status;

	pid = vfork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		exec_errno = errno;
		_exit(127);
	}
	waitpid(pid, &status, 0);
	if (exec_errno) {
		errno = exec_errno;
		return -1;
	}
	return WEXITSTATUS(status);
}
