#include <stdio.h>
#include <unistd.h>
#include <sys/wait.h>

extern void prepare_child(void);

int spawn_it(void)
{
	pid_t pid;

	pid = vfork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		prepare_child();
		execl("/bin/true", "true", (char *)NULL);
		_exit(127);
	}
	return pid;
}
