#include <stdio.h>
#include <unistd.h>
#include <sys/wait.h>

static int start(char **argv)
{
	pid_t pid;

	pid = vfork();
	if (pid == 0) {
		execv(argv[0], argv);
		_exit(127);
	} else if (pid > 0) {
		return pid;
	} else {
		perror("vfork");
		return -1;
	}
}

int main(void)
{
	char *argv[] = { "/bin/echo", "error in the final else", NULL };
	int status;

	fflush(stdout);
	waitpid(start(argv), &status, 0);
	printf("status %d\n", WEXITSTATUS(status));
	return 0;
}
