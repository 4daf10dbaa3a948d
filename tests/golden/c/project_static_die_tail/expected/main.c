/* The child's only call of a static helper is its exec-failure tail.  A
 * spawn rewrite would drop it and leave die() unused (-Wunused-function
 * breaks a -Werror build); fork keeps the call, the message and the 126. */
#include <stdio.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

static void die(const char *what)
{
	fprintf(stderr, "cannot run %s\n", what);
	_exit(126);
}

static int run(char **argv)
{
	pid_t pid;
	int status;

	if ((pid = fork()) == 0) {
		execv(argv[0], argv);
		die(argv[0]);
	}
	if (pid < 0)
		return -1;
	waitpid(pid, &status, 0);
	return WEXITSTATUS(status);
}

int main(void)
{
	char *ok[] = {"/bin/echo", "hello", NULL};
	char *bad[] = {"/nonexistent/prog", NULL};

	setvbuf(stdout, NULL, _IONBF, 0);
	dup2(1, 2);
	printf("ok: %d\n", run(ok));
	printf("bad: %d\n", run(bad));
	return 0;
}
