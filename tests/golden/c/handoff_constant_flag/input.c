#include <stdio.h>
#include <unistd.h>
#include <sys/wait.h>

int
spawn_tool(char *const argv[])
{
	int failed = 0;
	int status;
	pid_t pid;

	fflush(stdout);
	pid = vfork();
	if (pid == -1) {
		perror("vfork");
		return -1;
	}
	if (pid == 0) {
		execv(argv[0], argv);
		failed = 1;
		_exit(127);
	}
	waitpid(pid, &status, 0);
	if (failed)
		return -2;
	return WEXITSTATUS(status);
}

int
main(void)
{
	char *ok[] = {"/bin/echo", "flag", NULL};
	char *missing[] = {"/nonexistent/tool", NULL};

	printf("echo: %d\n", spawn_tool(ok));
	printf("missing: %d\n", spawn_tool(missing));
	return 0;
}
