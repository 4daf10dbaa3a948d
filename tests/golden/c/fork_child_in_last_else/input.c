#include <stdio.h>
#include <unistd.h>
#include <sys/wait.h>

static int start(char **argv)
{
	pid_t pid = vfork();

	if (pid > 0) {
		return pid;
	} else if (pid < 0) {
		return -1;
	} else {
		execv(argv[0], argv);
		_exit(127);
	}
}

int main(void)
{
	char *argv[] = { "/bin/echo", "last else", NULL };
	int status;

	fflush(stdout);
	waitpid(start(argv), &status, 0);
	printf("status %d\n", WEXITSTATUS(status));
	return 0;
}
