#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
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
main_handoff_fork(volatile int *handoff0, volatile int *handoff1)
{
	long records[4], spare[2];
	size_t got = 0, i;
	ssize_t n;
	int fds[2], saved;
	pid_t pid;

	if (pipe2(fds, O_CLOEXEC) < 0)
		return -1;
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
		if (records[i] == 1)
			*handoff1 = records[i + 1];
	}
	errno = saved;
	return pid;
}

int
main(void)
{
	const char *progs[] = {"/bin/echo", "/nonexistent/prog"};
	volatile int exec_errno, stage;
	int i, status;
	pid_t pid;

	for (i = 0; i < 2; i++) {
		exec_errno = 0;
		stage = 0;
		fflush(stdout);
		pid = main_handoff_fork(&exec_errno, &stage);
		if (pid < 0)
			return 1;
		if (pid == 0) {
			execl(progs[i], "echo", "two", (char *)NULL);
			main_handoff_put(0, exec_errno = errno);
			main_handoff_put(1, stage = 'x');
			_exit(127);
		}
		waitpid(pid, &status, 0);
		printf("%s: status %d stage %c errno %s\n", progs[i], WEXITSTATUS(status),
		    stage ? stage : '-', exec_errno ? strerror(exec_errno) : "none");
	}
	return 0;
}
