#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/wait.h>

int main(void)
{
	int status = 0;

	fflush(stdout);
	switch (fork()) {
	case -1:
		perror("vfork");
		return 1;
	case 0:
		execl("/bin/echo", "echo", "switch without a variable", (char *)NULL);
		_exit(127);
	default:
		wait(&status);
	}
	printf("status %d\n", WEXITSTATUS(status));
	return 0;
}
