#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "msg.h"

static int run(char **argv)
{
	pid_t pid;
	int status;

	pid = vfork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		note("starting");
		execv(argv[0], argv);
		note("cannot run", argv[0]);
		exit(127);
	}
	if (waitpid(pid, &status, 0) < 0)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

int main(void)
{
	char *ok[] = { "/bin/echo", "hello from the child", NULL };
	char *missing[] = { "/nonexistent/program", NULL };

	printf("status %d\n", run(ok));
	fflush(stdout);
	printf("status %d\n", run(missing));
	return 0;
}
