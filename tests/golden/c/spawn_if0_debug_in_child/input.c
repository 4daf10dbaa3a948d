#include <stdio.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

static int run(char **argv)
{
	pid_t pid;
	int status;

	pid = vfork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
#if 0
		fprintf(stderr, "child %ld starting %s\n", (long)getpid(), argv[0]);
#endif
		execv(argv[0], argv);
		_exit(127);
	}
	waitpid(pid, &status, 0);
	return WEXITSTATUS(status);
}

int main(void)
{
	char *echo[] = { "/bin/echo", "debug block left out", NULL };

	fflush(stdout);
	printf("echo: %d\n", run(echo));
	return 0;
}
