#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>

static char *const argv[] = { "echo", "through a pipe", NULL };

int main(void)
{
	int fds[2];
	char buf[128];
	ssize_t n;
	pid_t pid;

	if (pipe(fds) < 0)
		return 1;
	pid = vfork();
	if (pid < 0)
		return 1;
	if (pid == 0) {
		close(fds[0]);
		dup2(fds[1], 1);
		close(fds[1]);
		execv("/bin/echo", argv);
		_exit(127);
	}
	close(fds[1]);
	n = read(fds[0], buf, sizeof buf - 1);
	buf[n > 0 ? n : 0] = '\0';
	waitpid(pid, NULL, 0);
	printf("parent read: %s", buf);
	return 0;
}
