#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>
#include "lib.h"

int main(void)
{
	char *argv[] = { "true", NULL };
	pid_t pid;

	pid = xvfork();
	if (pid == 0) {
		execv("/bin/true", argv);
		_exit(127);
	}
	waitpid(pid, NULL, 0);
	puts("done");
	return 0;
}
