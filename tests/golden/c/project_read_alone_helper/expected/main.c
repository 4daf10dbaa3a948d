#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

void die_quietly(void);

/* Two heads for one body: tree-sitter makes an ERROR region of it and
   what follows, so run() is read on its own. */
#ifdef OLD_COMPILER
static int twice(n)
int n;
{
#else
static int twice(int n)
{
#endif
	return 2 * n;
}

static int run(char **argv)
{
	pid_t pid;
	int status;

	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		execv(argv[0], argv);
		die_quietly();
	}
	if (waitpid(pid, &status, 0) < 0)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

int main(void)
{
	char *ok[] = { "/bin/echo", "hello from the child", NULL };
	char *missing[] = { "/nonexistent/program", NULL };

	printf("%d\n", twice(21));
	fflush(stdout);
	printf("status %d\n", run(ok));
	printf("status %d\n", run(missing));
	return 0;
}
