#include <stdio.h>
#include <unistd.h>
#include <sys/wait.h>

/* The child stores into the parent's variable before it execs: that is not
 * an exec-error hand-off (the store happens whether or not exec works), so
 * a person must decide what the parent needs. */
int main(void)
{
	volatile int started = 0;
	pid_t pid;
	int status;

	fflush(stdout);
	pid = vfork();
	if (pid < 0)
		return 1;
	if (pid == 0) {
		started = 1;
		execl("/bin/echo", "echo", "store", (char *)NULL);
		_exit(127);
	}
	waitpid(pid, &status, 0);
	printf("status %d started %d\n", WEXITSTATUS(status), started);
	return 0;
}
