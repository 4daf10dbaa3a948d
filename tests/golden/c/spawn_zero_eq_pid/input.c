#include <stdio.h>
#include <unistd.h>
#include <sys/wait.h>

int main(void)
{
	char *argv[] = { "sh", "-c", "echo from sh; exit 3", NULL };
	pid_t pid;
	int status;

	fflush(stdout);
	pid = vfork();
	if (pid == -1)
		return 1;
	if (0 == pid) {
		execv("/bin/sh", argv);
		_exit(127);
	}
	waitpid(pid, &status, 0);
	printf("child said %d\n", WEXITSTATUS(status));
	return 0;
}
