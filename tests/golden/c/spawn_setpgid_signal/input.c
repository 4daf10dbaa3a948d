#include <stdio.h>
#include <signal.h>
#include <unistd.h>
#include <sys/wait.h>

int main(void)
{
	pid_t pid;
	int status;

	signal(SIGINT, SIG_IGN);
	fflush(stdout);
	pid = vfork();
	if (pid < 0)
		return 1;
	if (pid == 0) {
		setpgid(0, 0);
		signal(SIGINT, SIG_DFL);
		signal(SIGQUIT, SIG_DFL);
		execl("/bin/sh", "sh", "-c", "read -r p c s pp pg rest < /proc/$$/stat; [ $pg = $$ ] && echo own group; m=$(sed -n 's/^SigIgn:[[:space:]]*//p' /proc/$$/status); echo ignored: $(( 0x$m & 0x6 ))", (char *)NULL);
		_exit(127);
	}
	waitpid(pid, &status, 0);
	printf("status %d\n", WEXITSTATUS(status));
	return 0;
}
