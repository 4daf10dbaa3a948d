#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>

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
		pid = vfork();
		if (pid < 0)
			return 1;
		if (pid == 0) {
			execl(progs[i], "echo", "two", (char *)NULL);
			exec_errno = errno;
			stage = 'x';
			_exit(127);
		}
		waitpid(pid, &status, 0);
		printf("%s: status %d stage %c errno %s\n", progs[i], WEXITSTATUS(status),
		    stage ? stage : '-', exec_errno ? strerror(exec_errno) : "none");
	}
	return 0;
}
