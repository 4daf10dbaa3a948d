









#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/wait.h>

static int run_echo(const char *msg)
{
	pid_t pid;
	int status;

	fflush(stdout);
	pid = vfork();
	if (pid < 0) {
		perror("vfork");
		return -1;
	} else if (pid == 0) {
		execl("/bin/echo", "echo", msg, (char *)NULL);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) < 0)
		return -1;
	return WEXITSTATUS(status);
}

int main(void)
{
	printf("status %d\n", run_echo("hello"));
	return 0;
}
