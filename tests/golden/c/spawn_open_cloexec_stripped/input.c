/* stdin is closed first, so open() cannot return 1: the move onto 1 is
 * exact, and the copy dup2 makes never has close-on-exec. */
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>
#include <sys/wait.h>

int main(void)
{
	pid_t pid;
	int status;
	char line[80];
	FILE *f;

	fflush(stdout);
	pid = vfork();
	if (pid == -1) {
		perror("vfork");
		return 1;
	}
	if (pid == 0) {
		int fd;

		close(0);
		fd = open("log.txt", O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
		if (fd == -1)
			_exit(126);
		dup2(fd, 1);
		close(fd);
		execl("/bin/sh", "sh", "-c", "echo logged; read x || echo stdin closed", (char *)NULL);
		_exit(127);
	}
	waitpid(pid, &status, 0);
	f = fopen("log.txt", "r");
	while (f != NULL && fgets(line, sizeof line, f))
		printf("log: %s", line);
	printf("status %d\n", WEXITSTATUS(status));
	return 0;
}
