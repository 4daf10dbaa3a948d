#include <stdio.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

/*
 * Only the child mentions `tries`, but the loop runs the child again:
 * under vfork each child counts on from the one before (the third run
 * stops at once), under fork every child would start from 0.
 */
int main(void)
{
	int round, status;
	int tries = 0;
	pid_t pid;

	for (round = 0; round < 3; round++) {
		pid = vfork();
		if (pid < 0)
			return 1;
		if (pid == 0) {
			tries++;
			if (tries > 2)
				_exit(3);
			execl("/bin/true", "true", (char *)NULL);
			_exit(127);
		}
		waitpid(pid, &status, 0);
		printf("round %d: status %d\n", round, WEXITSTATUS(status));
	}
	return 0;
}
