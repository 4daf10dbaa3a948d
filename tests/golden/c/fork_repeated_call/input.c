#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

/*
 * A server's accept loop, nc(1)-style: the connection is moved onto
 * descriptor 0 between vfork and the test of its result, so both
 * processes move it.  Each has its own descriptor table under vfork too,
 * so the parent's dup2 and close do the same after fork.
 */
static int serve(int conn, char **argv)
{
	pid_t pid;
	int status;

	pid = vfork();
	dup2(conn, 0);
	close(conn);
	signal(SIGPIPE, SIG_DFL);
	if (pid < 0)
		return -1;
	if (pid == 0) {
		execv(argv[0], argv);
		_exit(127);
	}
	waitpid(pid, &status, 0);
	return WEXITSTATUS(status);
}

int main(void)
{
	char *argv[] = { "/bin/cat", NULL };
	char buf[16];
	int fds[2], status, n;

	if (pipe(fds) < 0)
		return 1;
	if (write(fds[1], "request\n", 8) != 8)
		return 1;
	close(fds[1]);
	fflush(stdout);
	status = serve(fds[0], argv);
	/* The parent's descriptor 0 is the drained pipe too: it reads EOF. */
	n = read(0, buf, sizeof buf);
	printf("status %d, parent read %d, fd %d closed: %d\n", status, n, fds[0],
	       fcntl(fds[0], F_GETFD) < 0);
	return 0;
}
