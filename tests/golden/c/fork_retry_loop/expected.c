#include <errno.h>
#include <stdio.h>
#include <unistd.h>
#include <sys/wait.h>

int main(void)
{
	pid_t pid;
	int status;

	fflush(stdout);
	while ((pid = fork()) < 0 && errno == EAGAIN)
		sleep(1);
	if (pid < 0)
		return 1;
	if (pid == 0) {
		execl("/bin/echo", "echo", "after retries", (char *)NULL);
		_exit(127);
	}
	waitpid(pid, &status, 0);
	printf("status %d\n", WEXITSTATUS(status));
	return 0;
}
