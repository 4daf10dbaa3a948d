#include <stdio.h>
#include <unistd.h>
#include <sys/wait.h>

static int wait_for(pid_t pid)
{
	int status;

	waitpid(pid, &status, 0);
	return WEXITSTATUS(status);
}

int main(void)
{
	char *envp[] = { "WHO=execle", NULL };
	pid_t pid;

	fflush(stdout);
	pid = vfork();
	if (pid < 0)
		return 1;
	if (pid == 0) {
		execle("/bin/sh", "sh", "-c", "echo $WHO", (char *)NULL, envp);
		_exit(127);
	}
	printf("first %d\n", wait_for(pid));
	fflush(stdout);
	pid = vfork();
	if (pid < 0)
		return 1;
	if (pid == 0) {
		execlp("sh", "sh", "-c", "echo execlp; exit 2", (char *)NULL);
		_exit(127);
	}
	printf("second %d\n", wait_for(pid));
	return 0;
}
