#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/wait.h>

int main(void)
{
	pid_t pid;
	int status, fd;

	printf("buffered before vfork\n");
	pid = vfork();
	if (pid == -1)
		return 1;
	if (pid == 0) {
		for (fd = 3; fd < 256; fd++)
			close(fd);
		execlp("echo", "echo", "counter", (char *)NULL);
		exit(127);
	}
	waitpid(pid, &status, 0);
	printf("status %d\n", WEXITSTATUS(status));
	return 0;
}
