#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>
#include <sys/wait.h>

int main(void)
{
	pid_t pid;
	int status;

	printf("parent buffered line\n");
	pid = fork();
	if (pid < 0) {
		perror("vfork");
		return 1;
	}
	if (pid == 0) {
		int fd;

		for (fd = 3; fd < 64; fd++)
			close(fd);
		umask(077);
		execl("/bin/sh", "sh", "-c", "umask; exit 5", (char *)NULL);
		_exit(127);
	}
	waitpid(pid, &status, 0);
	printf("status %d\n", WEXITSTATUS(status));
	return 0;
}
