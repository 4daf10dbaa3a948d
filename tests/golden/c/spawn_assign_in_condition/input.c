#include <stdio.h>
#include <unistd.h>
#include <sys/wait.h>

int main(void)
{
	pid_t pid;
	int status;

	fflush(stdout);
	if ((pid = vfork()) < 0) {
		perror("vfork");
		return 1;
	} else if (pid == 0) {
		execlp("echo", "echo", "in", "condition", (char *)0);
		_exit(127);
	} else {
		waitpid(pid, &status, 0);
		printf("status %d\n", WEXITSTATUS(status));
	}
	return 0;
}
