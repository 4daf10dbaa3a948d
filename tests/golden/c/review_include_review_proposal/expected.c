#include <errno.h>
#include <stdio.h>
#include <unistd.h>
#include <sys/wait.h>

int main(void)
{
	volatile int started = 0;
	pid_t pid;
	int status;

	fflush(stdout);
	pid = fork();
	if (pid < 0)
		return 1;
	if (pid == 0) {
		started = 1;
		execl("/bin/echo", "echo", "proposal", (char *)NULL);
		_exit(127);
	}
	waitpid(pid, &status, 0);
	printf("status %d\n", WEXITSTATUS(status));
	(void)started;
	return 0;
}
