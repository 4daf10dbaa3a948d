#include <stdio.h>
#include <unistd.h>
#include <sys/wait.h>

int main(void)
{
	int status;

	fflush(stdout);
	if (vfork() == 0) {
		nice(1);
		execl("/bin/echo", "echo", "compared", (char *)NULL);
		_exit(127);
	}
	wait(&status);
	printf("status %d\n", WEXITSTATUS(status));
	return 0;
}
