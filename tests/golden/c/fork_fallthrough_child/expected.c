#include <stdio.h>
#include <unistd.h>
#include <sys/wait.h>

static int launch(const char *word)
{
	pid_t pid;
	int status;

	pid = fork();
	if (pid < 0) {
		perror("vfork");
		return -1;
	}
	if (pid > 0) {
		waitpid(pid, &status, 0);
		return WEXITSTATUS(status);
	}
	/* child */
	execl("/bin/echo", "echo", word, (char *)NULL);
	_exit(127);
}

int main(void)
{
	fflush(stdout);
	printf("status %d\n", launch("fell through"));
	return 0;
}
