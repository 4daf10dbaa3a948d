#include <fcntl.h>
#include <stdio.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>
#include "fds.h"

int main(void)
{
	char *argv[] = { "sh", "-c", "ls /proc/self/fd | wc -l", NULL };
	pid_t pid;
	int status;

	open("/dev/null", O_RDONLY);
	open("/dev/null", O_RDONLY);
	fflush(stdout);
	pid = fork();
	if (pid < 0)
		return 1;
	if (pid == 0) {
		close_odd(3, 20);
		execv("/bin/sh", argv);
		_exit(127);
	}
	waitpid(pid, &status, 0);
	printf("status: %d\n", WEXITSTATUS(status));
	return 0;
}
