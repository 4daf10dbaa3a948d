#include <stdio.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

/*
 * Old BSD style: the storage class on a line of its own, implicit int,
 * a comment inside the header, parameter declarations sharing a line.
 */
static
runit(prog, argv)	/* run prog, wait for it */
char *prog, **argv;
{
	int pid, status;

	pid = vfork();
	if (pid == 0) {
		execv(prog, argv);
		_exit(127);
	}
	if (pid < 0)
		return -1;
	while (wait(&status) != pid)
		;
	return WEXITSTATUS(status);
}

static char *words[] = { "echo", "storage class alone", 0 };

int
main()
{
	fflush(stdout);
	printf("status: %d\n", runit("/bin/echo", words));
	return 0;
}
