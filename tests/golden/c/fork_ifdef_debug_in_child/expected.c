#include <stdio.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

int run(char **argv)
{
	pid_t pid = fork();

	if (pid < 0)
		return -1;
	if (pid == 0) {
#ifdef DEBUG
		fprintf(stderr, "running %s\n", argv[0]);
#endif
		execv(argv[0], argv);
		_exit(127);
	}
	return pid;
}

int main(void)
{
	char *echo[] = { "/bin/echo", "with or without DEBUG", NULL };
	int status;
	pid_t pid;

	fflush(stdout);
	pid = run(echo);
	waitpid(pid, &status, 0);
	printf("status: %d\n", WEXITSTATUS(status));
	return 0;
}
