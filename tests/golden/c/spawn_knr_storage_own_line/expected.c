#include <stdio.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>
#include <errno.h>
#include <spawn.h>
extern char **environ;

/*
 * Old BSD style: the storage class on a line of its own, implicit int,
 * a comment inside the header, parameter declarations sharing a line.
 */
static
runit(prog, argv)	/* run prog, wait for it */
char *prog, **argv;
{
	int pid, status;

	{
		pid_t spawn_pid;
		int spawn_err;

		spawn_err = posix_spawn(&spawn_pid, prog, NULL, NULL, argv, environ);
		if (spawn_err != 0) {
			errno = spawn_err;
			pid = -1;
		} else {
			pid = spawn_pid;
		}
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
