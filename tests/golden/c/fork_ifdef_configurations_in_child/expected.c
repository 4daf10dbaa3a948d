#include <stdio.h>
#include <stdlib.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

/* Each configuration puts the child in its own group its own way. */
static int run(char **argv)
{
	pid_t pid;
	int status;

	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
#ifdef HAVE_SETSID
		setsid();
#else
		setpgid(0, 0);
#endif
		execv(argv[0], argv);
		_exit(127);
	}
	waitpid(pid, &status, 0);
	return WEXITSTATUS(status);
}

int main(void)
{
	char *sh[] = { "/bin/sh", "-c", "test \"$(ps -o pgid= $$)\" -eq $$ && echo own group", NULL };
	char *none[] = { "/no/such/program", NULL };

	printf("pending, not flushed\n");
	printf("sh: %d\n", run(sh));
	fflush(stdout);
	printf("none: %d\n", run(none));
	return 0;
}
