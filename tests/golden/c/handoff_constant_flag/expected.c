#include <stdio.h>
#include <unistd.h>
#include <sys/wait.h>
#include <errno.h>
#include <fcntl.h>

/*
 * Made by vfork-codemod in place of vfork(): spawn_tool_handoff_fork() forks with a
 * close-on-exec pipe, which carries what the child hands back after a
 * failed exec; the parent reads it until the child has exec'd or exited,
 * as vfork made it wait.
 */
static int spawn_tool_handoff_fd = -1;

static void
spawn_tool_handoff_put(long tag, long value)
{
	long record[2];
	int saved = errno;

	record[0] = tag;
	record[1] = value;
	if (write(spawn_tool_handoff_fd, record, sizeof record) < 0) {
		/* the parent keeps the value it had */
	}
	errno = saved;
}

static pid_t
spawn_tool_handoff_fork(int *handoff0)
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
		spawn_tool_handoff_fd = fds[1];
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

int
spawn_tool(char *const argv[])
{
	int failed = 0;
	int status;
	pid_t pid;

	fflush(stdout);
	pid = spawn_tool_handoff_fork(&failed);
	if (pid == -1) {
		perror("vfork");
		return -1;
	}
	if (pid == 0) {
		execv(argv[0], argv);
		spawn_tool_handoff_put(0, failed = 1);
		_exit(127);
	}
	waitpid(pid, &status, 0);
	if (failed)
		return -2;
	return WEXITSTATUS(status);
}

int
main(void)
{
	char *ok[] = {"/bin/echo", "flag", NULL};
	char *missing[] = {"/nonexistent/tool", NULL};

	printf("echo: %d\n", spawn_tool(ok));
	printf("missing: %d\n", spawn_tool(missing));
	return 0;
}
