#include <stdio.h>
#include <unistd.h>
#include <sys/wait.h>

/* The retry of libiberty's pex-unix.c: child and parent leave the loop at
   once, a failed vfork sleeps and goes round again. */
static pid_t start(const char *word)
{
	pid_t pid;
	volatile int sleep_interval;
	volatile int retries;

	sleep_interval = 1;
	pid = -1;
	for (retries = 0; retries < 4; ++retries)
	{
		pid = vfork();
		if (pid >= 0)
			break;
		sleep(sleep_interval);
		sleep_interval *= 2;
	}

	switch (pid)
	{
	case -1:
		return -1;
	case 0:
		if (dup2(1, 2) < 0)
			_exit(126);
		execl("/bin/echo", "echo", word, (char *)NULL);
		_exit(127);
	default:
		return pid;
	}
}

int main(void)
{
	int status;
	pid_t pid;

	fflush(stdout);
	pid = start("retried");
	if (pid < 0)
		return 1;
	waitpid(pid, &status, 0);
	printf("status %d\n", WEXITSTATUS(status));
	return 0;
}
