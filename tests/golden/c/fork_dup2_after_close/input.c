#include <stdio.h>
#include <unistd.h>
#include <sys/wait.h>

int main(void)
{
	int p[2];
	pid_t pid;
	int status;
	char buf[64];
	ssize_t n;

	if (pipe(p) < 0)
		return 1;
	fflush(stdout);
	pid = vfork();
	if (pid < 0) {
		perror("vfork");
		return 1;
	}
	if (pid == 0) {
		close(p[0]);
		close(p[1]);
		dup2(p[1], 1);
		execl("/bin/echo", "echo", "not through the pipe", (char *)NULL);
		_exit(127);
	}
	close(p[1]);
	waitpid(pid, &status, 0);
	n = read(p[0], buf, sizeof buf);
	printf("pipe gave %d bytes, status %d\n", (int)n, WEXITSTATUS(status));
	return 0;
}
