#include <stdio.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/wait.h>

int main(void)
{
	pid_t pid;
	int status;
	FILE *f;
	char line[64];

	pid = vfork();
	if (pid == -1) {
		perror("vfork");
		return 1;
	}
	if (pid == 0) {
		int fd = open("out.txt", O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (fd < 0)
			_exit(126);
		if (fd != 1) {
			dup2(fd, 1);
			close(fd);
		}
		execl("/bin/echo", "echo", "redirected", (char *)0);
		_exit(127);
	}
	waitpid(pid, &status, 0);
	f = fopen("out.txt", "r");
	if (f && fgets(line, sizeof line, f))
		printf("file holds: %s", line);
	return WEXITSTATUS(status);
}
