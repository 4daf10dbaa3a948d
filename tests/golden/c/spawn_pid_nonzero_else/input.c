#include <stdio.h>
#include <unistd.h>
#include <sys/wait.h>

int main(void)
{
	char *argv[] = { "echo", "child in else", NULL };
	pid_t pid;
	int status;

	fflush(stdout);
	pid = vfork();
	if (pid != 0) {
		if (pid < 0)
			return 1;
		waitpid(pid, &status, 0);
		printf("parent saw %d\n", WEXITSTATUS(status));
	} else {
		execvp("echo", argv);
		_exit(127);
	}
	return 0;
}
