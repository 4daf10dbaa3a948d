#include <stdio.h>
#include <signal.h>
#include <unistd.h>
#include <sys/wait.h>

int main(void)
{
	sigset_t blocked, empty;
	pid_t pid;
	int status;

	sigemptyset(&blocked);
	sigaddset(&blocked, SIGUSR1);
	sigprocmask(SIG_BLOCK, &blocked, NULL);
	sigemptyset(&empty);
	fflush(stdout);
	pid = vfork();
	if (pid == -1)
		return 1;
	if (pid == 0) {
		sigprocmask(SIG_SETMASK, &empty, NULL);
		execl("/bin/sh", "sh", "-c", "grep SigBlk /proc/$$/status", (char *)NULL);
		_exit(127);
	}
	waitpid(pid, &status, 0);
	printf("status %d\n", WEXITSTATUS(status));
	return 0;
}
