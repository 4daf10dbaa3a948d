#include <stdio.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef NO_SHELL
static char *words[] = { "sh", "-c", "echo $0 from $(pwd)", "old C", 0 };

/*
 * Run the shell at the root (window(1) style: no parameters, and no
 * blanks after the header, inside a file-wide #ifndef).
 */
runsh()
{
	int pid, status;

	if ((pid = fork()) == 0) {
		if (chdir("/") < 0)
			_exit(126);
		execv("/bin/sh", words);
		_exit(127);
	}
	if (pid < 0)
		return -1;
	while (wait(&status) != pid)
		;
	return status;
}
#endif

int
main()
{
	fflush(stdout);
	printf("status: %d\n", runsh());
	return 0;
}
