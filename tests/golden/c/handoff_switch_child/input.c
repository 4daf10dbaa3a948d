#include <errno.h>
#include <stdio.h>
#include <unistd.h>
#include <sys/wait.h>

static int
start(const char *prog)
{
	volatile int child_errno = 0;
	int status;
	pid_t pid;

	fflush(stdout);
	switch (pid = vfork()) {
	case -1:
		return -1;
	case 0:
		execlp(prog, prog, "switch", (char *)NULL);
		child_errno = errno;
		_exit(127);
	default:
		break;
	}
	waitpid(pid, &status, 0);
	printf("%s: status %d errno %d\n", prog, WEXITSTATUS(status), child_errno);
	return child_errno;
}

int
main(void)
{
	start("echo");
	start("no-such-program-here");
	return 0;
}
