#include <stdio.h>
#include <unistd.h>
#include <sys/wait.h>

int main(void)
{
	int status;

	fflush(stdout);
	if (!fork()) {
		execl("/bin/echo", "echo", "no pid kept", (char *)NULL);
		_exit(127);
	}
	wait(&status);
	printf("status %d\n", WEXITSTATUS(status));
	return 0;
}
