#include <errno.h>
#include <stdio.h>
#include <unistd.h>
#include <sys/wait.h>

/* The parent prints before it waits: under vfork the child has already
 * exec'd or exited, so the order of the lines is fixed. */
static int
launch(const char *path)
{
	volatile int exec_errno = 0;
	pid_t pid;
	int status;

	fflush(stdout);
	pid = vfork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		execl(path, path, (char *)NULL);
		exec_errno = errno;
		write(1, "child: exec failed\n", 19);
		_exit(127);
	}
	printf("parent: %s errno %d\n", path, exec_errno);
	fflush(stdout);
	if (waitpid(pid, &status, 0) < 0)
		return -1;
	return WEXITSTATUS(status);
}

int
main(void)
{
	printf("true: %d\n", launch("/bin/true"));
	printf("missing: %d\n", launch("/nonexistent/program"));
	return 0;
}
