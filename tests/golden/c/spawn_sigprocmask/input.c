#include <stdio.h>
#include <string.h>
#include <signal.h>
#include <unistd.h>
#include <sys/wait.h>

/* Run with "report", print which of SIGUSR1/SIGUSR2 this process blocks. */
static int report(void)
{
	sigset_t now;

	sigprocmask(SIG_BLOCK, NULL, &now);
	printf("SIGUSR1 %s\n", sigismember(&now, SIGUSR1) ? "blocked" : "open");
	printf("SIGUSR2 %s\n", sigismember(&now, SIGUSR2) ? "blocked" : "open");
	return 0;
}

int main(int argc, char **argv)
{
	sigset_t blocked, child;
	pid_t pid;
	int status;

	if (argc > 1 && strcmp(argv[1], "report") == 0)
		return report();
	sigemptyset(&blocked);
	sigaddset(&blocked, SIGUSR1);
	sigaddset(&blocked, SIGUSR2);
	sigprocmask(SIG_BLOCK, &blocked, NULL);
	sigemptyset(&child);
	sigaddset(&child, SIGUSR2);
	fflush(stdout);
	pid = vfork();
	if (pid == -1)
		return 1;
	if (pid == 0) {
		sigprocmask(SIG_SETMASK, &child, NULL);
		execl(argv[0], argv[0], "report", (char *)NULL);
		_exit(127);
	}
	waitpid(pid, &status, 0);
	printf("status %d\n", WEXITSTATUS(status));
	return 0;
}
