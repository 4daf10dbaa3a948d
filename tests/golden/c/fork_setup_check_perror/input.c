/* A checked set-up call whose failure branch says why: posix_spawn would
 * fail in the parent instead and the message would be lost; fork keeps it.
 * Descriptor 9 is closed, so the second run's dup2 fails. */
#include <stdio.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

static int run(int fd, char **argv)
{
	pid_t pid;
	int status;

	pid = vfork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		if (dup2(fd, 0) < 0) {
			perror("dup2");
			_exit(125);
		}
		execv(argv[0], argv);
		_exit(127);
	}
	waitpid(pid, &status, 0);
	return WEXITSTATUS(status);
}

int main(void)
{
	char *cat[] = {"/bin/cat", NULL};
	int fds[2];

	setvbuf(stdout, NULL, _IONBF, 0);
	dup2(1, 2);
	if (pipe(fds) < 0)
		return 1;
	write(fds[1], "piped\n", 6);
	close(fds[1]);
	printf("ok: %d\n", run(fds[0], cat));
	close(9);
	printf("bad: %d\n", run(9, cat));
	return 0;
}
