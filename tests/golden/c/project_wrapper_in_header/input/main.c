#include <stdio.h>
#include <sys/wait.h>
#include "compat.h"

int run_true(void)
{
	char *argv[] = { "true", NULL };
	pid_t pid;
	int status;

	if ((pid = XVFORK()) == 0) {
		execv("/no/such/true", argv);
		_exit(126);
	}
	waitpid(pid, &status, 0);
	return WEXITSTATUS(status);
}

int main(void)
{
	printf("echo: %d\n", run_echo("hello from the child"));
	printf("missing: %d\n", run_true());
	return 0;
}
