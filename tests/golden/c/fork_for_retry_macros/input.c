#include <stdio.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

/* Old code: status macros and a bounded retry in the loop condition. */
#define OK	0
#define NOTOK	(-1)

static int run(char **argv)
{
	pid_t pid;
	int i, status;

	for (i = 0; (pid = vfork()) == NOTOK && i < 5; i++)
		sleep(1);
	switch (pid) {
	case NOTOK:
		return -1;
	case OK:
		execv(argv[0], argv);
		_exit(127);
	}
	waitpid(pid, &status, 0);
	return WEXITSTATUS(status);
}

int main(void)
{
	char *echo[] = { "/bin/echo", "retried", NULL };
	char *none[] = { "/no/such/program", NULL };

	fflush(stdout);
	printf("echo: %d\n", run(echo));
	fflush(stdout);
	printf("none: %d\n", run(none));
	return 0;
}
