#include <errno.h>
#include <stdio.h>
#include <unistd.h>
#include <sys/wait.h>
#include <fcntl.h>

static volatile int exec_error;

/*
 * Made by vfork-codemod in place of vfork(): run_with_retry_handoff_fork() forks with a
 * close-on-exec pipe, which carries what the child hands back after a
 * failed exec; the parent reads it until the child has exec'd or exited,
 * as vfork made it wait.
 */
static int run_with_retry_handoff_fd = -1;

static void
run_with_retry_handoff_put(long tag, long value)
{
	long record[2];
	int saved = errno;

	record[0] = tag;
	record[1] = value;
	if (write(run_with_retry_handoff_fd, record, sizeof record) < 0) {
		/* the parent keeps the value it had */
	}
	errno = saved;
}

static pid_t
run_with_retry_handoff_fork(volatile int *handoff0)
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
		run_with_retry_handoff_fd = fds[1];
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

static int
run_with_retry(const char *path)
{
	int tries = 0, status;
	pid_t pid;

	exec_error = 0;
	fflush(stdout);
	while ((pid = run_with_retry_handoff_fork(&exec_error)) < 0 && tries++ < 3)
		sleep(1);
	if (pid < 0)
		return -1;
	if (pid == 0) {
		execl(path, path, "retry", (char *)NULL);
		run_with_retry_handoff_put(0, exec_error = errno);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) < 0)
		return -1;
	printf("%s: status %d tries %d\n", path, WEXITSTATUS(status), tries);
	return exec_error;
}

int
main(void)
{
	printf("echo: errno %d\n", run_with_retry("/bin/echo"));
	printf("missing: errno %d\n", run_with_retry("/nonexistent/retry"));
	return 0;
}
