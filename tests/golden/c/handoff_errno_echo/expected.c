#include <errno.h>
#include <stdio.h>
#include <unistd.h>
#include <sys/wait.h>
#include <fcntl.h>

/*
 * Made by vfork-codemod in place of vfork(): main_handoff_fork() forks with a
 * close-on-exec pipe, which carries what the child hands back after a
 * failed exec; the parent reads it until the child has exec'd or exited,
 * as vfork made it wait.
 */
static int main_handoff_fd = -1;

static void
main_handoff_put(long tag, long value)
{
	long record[2];
	int saved = errno;

	record[0] = tag;
	record[1] = value;
	if (write(main_handoff_fd, record, sizeof record) < 0) {
		/* the parent keeps the value it had */
	}
	errno = saved;
}

static pid_t
main_handoff_fork(volatile int *handoff0)
{
	long records[2], spare[2];
	size_t got = 0, i;
	ssize_t n;
	int fds[2], saved;
	pid_t pid;

	if (pipe(fds) < 0)
		return -1;
	if (fcntl(fds[0], F_SETFD, FD_CLOEXEC) < 0 || fcntl(fds[1], F_SETFD, FD_CLOEXEC) < 0) {
		saved = errno;
		close(fds[0]);
		close(fds[1]);
		errno = saved;
		return -1;
	}
	pid = fork();
	if (pid == 0) {
		close(fds[0]);
		main_handoff_fd = fds[1];
		return 0;
	}
	saved = errno;
	close(fds[1]);
	if (pid < 0) {
		close(fds[0]);
		errno = saved;
		return -1;
	}
	for (;;) {
		if (got < sizeof records)
			n = read(fds[0], (char *)records + got, sizeof records - got);
		else
			n = read(fds[0], spare, sizeof spare);
		if (n > 0) {
			if (got < sizeof records)
				got += (size_t)n;
		} else if (n == 0 || errno != EINTR) {
			break;
		}
	}
	close(fds[0]);
	for (i = 0; i + 1 < got / sizeof records[0]; i += 2) {
		if (records[i] == 0)
			*handoff0 = records[i + 1];
	}
	errno = saved;
	return pid;
}

int main(void)
{
	volatile int exec_errno = 0;
	pid_t pid;
	int status;

	fflush(stdout);
	pid = main_handoff_fork(&exec_errno);
	if (pid < 0)
		return 1;
	if (pid == 0) {
		execl("/bin/echo", "echo", "hand-off", (char *)NULL);
		main_handoff_put(0, exec_errno = errno);
		_exit(127);
	}
	waitpid(pid, &status, 0);
	printf("status %d errno %d\n", WEXITSTATUS(status), exec_errno);
	return 0;
}
