#include <errno.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

static int io;

/*
 * ex(1)'s recover(): the pipe's read end is stored between vfork and the
 * test of its result, so both processes store it; the parent's store
 * comes last either way.
 */
static int recover(char **argv)
{
	static int pvec[2];
	pid_t pid;
	int status;

	if (pipe(pvec) < 0)
		return -1;
	pid = fork();
	io = pvec[0];
	errno = 0;
	if (pid < 0)
		return -1;
	if (pid == 0) {
		close(pvec[0]);
		dup2(pvec[1], 1);
		execv(argv[0], argv);
		_exit(127);
	}
	close(pvec[1]);
	waitpid(pid, &status, 0);
	return WEXITSTATUS(status);
}

int main(void)
{
	char *argv[] = { "/bin/echo", "recovered", NULL };
	char buf[32];
	int status, n;

	status = recover(argv);
	n = read(io, buf, sizeof buf);
	printf("status %d, errno %d, read %d: %.*s", status, errno, n, n > 0 ? n : 0, buf);
	return 0;
}
