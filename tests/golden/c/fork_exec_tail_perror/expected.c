/* The exec-failure tail says why: a spawn rewrite would hand the failure to
 * the parent (pid -1) and the message and the 127 would be lost; fork keeps
 * both.  stderr goes to stdout so that the test sees the message. */
#include <stdio.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

static int run(char **argv)
{
	pid_t pid;
	int status;

	pid = fork();
	if (pid == 0) {
		execv(argv[0], argv);
		perror(argv[0]);
		_exit(127);
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
