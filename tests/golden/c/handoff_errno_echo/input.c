#include <errno.h>
#include <stdio.h>
#include <unistd.h>
#include <sys/wait.h>

int main(void)
{
	volatile int exec_errno = 0;
	pid_t pid;
	int status;

	fflush(stdout);
	pid = vfork();
	if (pid < 0)
		return 1;
	if (pid == 0) {
		execl("/bin/echo", "echo", "hand-off", (char *)NULL);
		exec_errno = errno;
		_exit(127);
	}
	waitpid(pid, &status, 0);
	printf("status %d errno %d\n", WEXITSTATUS(status), exec_errno);
	return 0;
}
