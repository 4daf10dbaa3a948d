/* The child moves a descriptor into place with xmove_fd() and execs; when
 * either fails it dies through the library's error path.  xfunc_die() runs
 * die_func, a hook the tool cannot follow: the args say it ends the process
 * without exec'ing (--die-function xfunc_die), so what the error path does
 * happens only in a child that failed, and fork keeps its message and its
 * status. */
#include <fcntl.h>
#include <stdio.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>
#include "libbb.h"

static int run(int fd, char **argv)
{
	pid_t pid;
	int status;

	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		xmove_fd(fd, 1);
		execv(argv[0], argv);
		bb_perror_msg_and_die("can't execute '%s'", argv[0]);
	}
	if (fd != 1)
		close(fd);
	if (waitpid(pid, &status, 0) < 0)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

int main(void)
{
	char *echo[] = { "/bin/echo", "ran", NULL };
	char *missing[] = { "/nonexistent/prog", NULL };

	/* Nothing buffered at the fork: a dying fork child's exit() then
	 * has no copy of the parent's output to write again. */
	fflush(stdout);
	printf("echo: %d\n", run(dup(1), echo));
	fflush(stdout);
	printf("missing: %d\n", run(dup(1), missing));
	fflush(stdout);
	printf("bad fd: %d\n", run(42, echo));
	return 0;
}
