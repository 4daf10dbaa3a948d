#include <errno.h>
#include <stdio.h>
#include <unistd.h>
#include <sys/wait.h>

static volatile int exec_error;

static int
run_with_retry(const char *path)
{
	int tries = 0, status;
	pid_t pid;

	exec_error = 0;
	fflush(stdout);
	while ((pid = vfork()) < 0 && tries++ < 3)
		sleep(1);
	if (pid < 0)
		return -1;
	if (pid == 0) {
		execl(path, path, "retry", (char *)NULL);
		exec_error = errno;
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
