#include <stdio.h>
#include <unistd.h>
#include <sys/wait.h>

int main(void)
{
	pid_t pid;
	int status;

	fflush(stdout);
#ifdef HAVE_VFORK
	pid = vfork();
	if (pid < 0)
		return 1;
	if (pid == 0) {
		execl("/bin/echo", "echo", "whole site in one branch", (char *)NULL);
		_exit(127);
	}
#else
	pid = fork();
	if (pid < 0)
		return 1;
	if (pid == 0) {
		execl("/bin/echo", "echo", "whole site in one branch", (char *)NULL);
		_exit(127);
	}
#endif
	waitpid(pid, &status, 0);
	printf("status %d\n", WEXITSTATUS(status));
	return 0;
}
