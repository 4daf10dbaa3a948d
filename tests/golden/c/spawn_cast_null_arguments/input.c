#include <stdio.h>
#include <string.h>
#include <signal.h>
#include <unistd.h>
#include <sys/wait.h>

static int shell(const char *line)
{
	sigset_t omask, block;
	pid_t pid;
	int status;

	signal(SIGQUIT, SIG_IGN);
	sigemptyset(&block);
	sigaddset(&block, SIGUSR1);
	sigprocmask(SIG_BLOCK, &block, &omask);
	fflush(stdout);
	pid = vfork();
	if (pid == (pid_t) 0) {
		struct sigaction sa;

		memset(&sa, 0, sizeof sa);
		sa.sa_handler = SIG_DFL;
		(void) sigaction(SIGQUIT, &sa, (struct sigaction *) NULL);
		(void) sigprocmask(SIG_SETMASK, &omask, (sigset_t *) NULL);
		(void) execl("/bin/sh", "sh", "-c", line, (void *) 0);
		_exit(127);
	}
	else if (pid < (pid_t) 0)
		return -1;
	sigprocmask(SIG_SETMASK, &omask, (sigset_t *) NULL);
	if (waitpid(pid, &status, 0) != pid)
		return -1;
	return WEXITSTATUS(status);
}

int main(void)
{
	int status = shell("m=$(sed -n 's/^SigIgn:[[:space:]]*//p' /proc/$$/status); "
			   "b=$(sed -n 's/^SigBlk:[[:space:]]*//p' /proc/$$/status); "
			   "echo quit ignored: $(( 0x$m & 0x4 )), usr1 blocked: $(( 0x$b & 0x200 )); exit 5");

	printf("status %d\n", status);
	return 0;
}
