#include "config.h"
#include <stdio.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

static int start(char *path, char **argv)
{
	pid_t pid;
	int status;

	switch (pid = fork()) {
	case -1:
		perror("fork");
		return -1;
	case 0:
		execv(path, argv);
		_exit(127);
	default:
		break;
	}
	if (waitpid(pid, &status, 0) < 0)
		return -1;
	return WEXITSTATUS(status);
}

int main(void)
{
	char *echo[] = { "echo", "redirected", NULL };
	char *none[] = { "none", NULL };

	fflush(stdout);
	printf("echo: %d\n", start("/bin/echo", echo));
	fflush(stdout);
	printf("none: %d\n", start("/no/such/program", none));
	return 0;
}
