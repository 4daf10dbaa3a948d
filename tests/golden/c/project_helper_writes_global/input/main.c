#include <stdio.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>
#include "jobs.h"

int main(void)
{
	char *argv[] = { "true", NULL };
	pid_t pid;

	if ((pid = vfork()) == 0) {
		note_start();
		execv("/bin/true", argv);
		_exit(127);
	}
	if (pid < 0)
		return 1;
	waitpid(pid, NULL, 0);
	printf("started: %d\n", children_started);
	return 0;
}
