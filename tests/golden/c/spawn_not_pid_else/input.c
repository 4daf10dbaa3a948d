#include <stdio.h>
#include <unistd.h>
#include <sys/wait.h>

int main(void)
{
	char *argv[] = { "echo", "not-pid", NULL };
	pid_t pid;
	int status = 0;

	fflush(stdout);
	pid = vfork();
	if (!pid) {
		execv("/bin/echo", argv);
		_exit(127);
	} else {
		if (pid == -1) {
			perror("vfork");
			return 1;
		}
		waitpid(pid, &status, 0);
	}
	printf("exit %d\n", WEXITSTATUS(status));
	return 0;
}
