#include <stdio.h>
#include <stdlib.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

/* Braces split by #if: tree-sitter loses its way here and in what follows. */
static int count(int n)
{
#ifdef TWICE
	if (n > 0) {
		n *= 2;
#else
	if (n > 0) {
#endif
		n += 1;
	}
	return n;
}

static int run(char **argv)
{
	pid_t pid;
	int status;

	pid = vfork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		execv(argv[0], argv);
		exit(127);
	}
	waitpid(pid, &status, 0);
	return WEXITSTATUS(status);
}

int main(void)
{
	char *echo[] = { "/bin/echo", "after the maze", NULL };

	fflush(stdout);
	printf("count: %d\n", count(2));
	printf("status: %d\n", run(echo));
	return 0;
}
