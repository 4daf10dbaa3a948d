#include <stdio.h>
#include <unistd.h>
#include <sys/wait.h>

int main(void)
{
	char *argv[] = { "echo", "declared", NULL };

	fflush(stdout);
	pid_t pid = vfork();
	int status;

	if (pid < 0) {
		perror("vfork");
		return 1;
	}
	if (pid == 0) {
		execv("/bin/echo", argv);
		_exit(127);
	}
	waitpid(pid, &status, 0);
	printf("done %d\n", WEXITSTATUS(status));
	return 0;
}
