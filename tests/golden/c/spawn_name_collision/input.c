#include <stdio.h>
#include <unistd.h>
#include <sys/wait.h>

static int spawn_err = 7;

int main(void)
{
	char *spawn_argv[] = { "echo", "names", "kept", NULL };
	pid_t pid;
	int status;

	fflush(stdout);
	pid = vfork();
	if (pid < 0)
		return spawn_err;
	if (pid == 0) {
		execl("/bin/echo", spawn_argv[0], spawn_argv[1], spawn_argv[2], (char *)NULL);
		_exit(127);
	}
	waitpid(pid, &status, 0);
	printf("status %d\n", WEXITSTATUS(status));
	return 0;
}
