/*
 * hooks.c -- run the administrator's hook scripts for legacyd.
 */
#include <stdio.h>
#include <unistd.h>
#include <sys/wait.h>

static volatile int hook_started;	/* read by the status report */

int
run_hook(const char *hook, const char *event)
{
	pid_t pid;
	int status;

	pid = vfork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		hook_started = 1;
		execl(hook, hook, event, (char *)NULL);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) < 0)
		return -1;
	return WEXITSTATUS(status);
}

int
hook_was_started(void)
{
	return hook_started;
}
