#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>

static int last_exec_errno;

static int
run(const char *path)
{
	static int runs;
	pid_t pid;
	int status;

	runs++;
	fflush(stdout);
	if ((pid = vfork()) == 0) {
		execl(path, path, "static", (char *)NULL);
		last_exec_errno = errno;
		_exit(126);
	}
	if (pid < 0)
		return -1;
	if (waitpid(pid, &status, 0) < 0)
		return -1;
	printf("run %d: status %d\n", runs, WEXITSTATUS(status));
	return last_exec_errno;
}

int
main(void)
{
	int e;

	e = run("/bin/echo");
	printf("echo: %s\n", e ? strerror(e) : "ok");
	e = run("/nonexistent/echo");
	printf("missing: %s\n", e ? strerror(e) : "ok");
	return 0;
}
