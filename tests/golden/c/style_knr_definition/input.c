#include <stdio.h>
#include <unistd.h>
#include <sys/wait.h>

int
run(path, name)
	char *path;
	char *name;
{
	int pid;
	int status;

	pid = vfork();
	if (pid == -1)
		return -1;
	if (pid == 0) {
		execl(path, name, "K&R", (char *)0);
		_exit(127);
	}
	waitpid(pid, &status, 0);
	return WEXITSTATUS(status);
}

int
main()
{
	fflush(stdout);
	printf("status %d\n", run("/bin/echo", "echo"));
	return 0;
}
