#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/wait.h>

int main(void)
{
	pid_t pid;
	int status = 0;

	fflush(stdout);
	switch (pid = vfork()) {
	case -1:
		perror("vfork");
		exit(1);
	case 0:
		execl("/bin/sh", "sh", "-c", "echo switched; exit 4", (char *)NULL);
		_exit(127);
	default:
		waitpid(pid, &status, 0);
		break;
	}
	printf("status %d\n", WEXITSTATUS(status));
	return 0;
}
