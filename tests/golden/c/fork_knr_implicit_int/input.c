#include <stdio.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

/* K&R: implicit int, parameter declarations, register locals. */
run(path, word)
	char *path;
	char *word;
{
	register int pid;
	int status;

	if ((pid = vfork()) == 0) {
		execl(path, path, word, (char *)0);
		_exit(127);
	}
	if (pid < 0)
		return -1;
	waitpid(pid, &status, 0);
	return WEXITSTATUS(status);
}

int main(void)
{
	fflush(stdout);
	printf("status: %d\n", run("/bin/echo", "old C"));
	return 0;
}
