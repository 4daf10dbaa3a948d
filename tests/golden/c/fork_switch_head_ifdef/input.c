#include <stdio.h>
#include <stdlib.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

int run(char **argv)
{
	pid_t pid;
	int status;

#ifdef HAVE_VFORK
	switch (pid = vfork()) {
#else
	switch (pid = fork()) {
#endif
	case -1:
		perror("vfork");
		return -1;
	case 0:
		execv(argv[0], argv);
		_exit(127);
	}
	waitpid(pid, &status, 0);
	return WEXITSTATUS(status);
}

int main(void)
{
	char *argv[] = { "/bin/echo", "switch head under #ifdef", NULL };

	fflush(stdout);
	printf("status: %d\n", run(argv));
	return 0;
}
