#define _GNU_SOURCE
#include <stdio.h>
#include <unistd.h>
#include <sys/wait.h>

int main(void)
{
	pid_t pid;
	int status;

	fflush(stdout);
	pid = vfork();
	if (pid < 0) {
		perror("vfork");
		return 1;
	}
	if (pid == 0) {
		setsid();
		setpgid(0, 0);
		execl("/bin/sh", "sh", "-c", "read -r p c s pp pg sid rest < /proc/$$/stat; "
		      "[ $pg = $$ ] && echo group leader; [ $sid = $$ ] && echo session leader; exit 0",
		      (char *)NULL);
		_exit(127);
	}
	waitpid(pid, &status, 0);
	printf("status %d\n", WEXITSTATUS(status));
	return 0;
}
