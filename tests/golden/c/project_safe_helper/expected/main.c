#include <fcntl.h>
#include <stdio.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>
#include "fdutil.h"

static int run_into(const char *path, char **argv, int fd)
{
	pid_t pid;
	int status;

	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		move_fd(fd, 1);
		execv(path, argv);
		child_failed(path);
	}
	waitpid(pid, &status, 0);
	return WEXITSTATUS(status);
}

static int run(const char *path, char **argv)
{
	pid_t pid;
	int status;

	if ((pid = fork()) < 0)
		return -1;
	if (pid == 0) {
		execv(path, argv);
		child_failed(path);
	}
	waitpid(pid, &status, 0);
	return WEXITSTATUS(status);
}

int main(void)
{
	char *echo[] = { "echo", "into the pipe", NULL };
	char *cat[] = { "cat", "out.txt", NULL };
	int fd;

	fd = open("out.txt", O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		return 1;
	fflush(stdout);
	printf("echo: %d\n", run_into("/bin/echo", echo, fd));
	close(fd);
	fflush(stdout);
	printf("cat: %d\n", run("/bin/cat", cat));
	fflush(stdout);
	printf("missing: %d\n", run_into("/no/such/cat", cat, 1));
	return 0;
}
