#include <stdio.h>
#include <unistd.h>
#include <sys/wait.h>

/* The child writes the parent's `status` after a nested block that
 * declared its own: only the nested one is the child's. */
int shadowed(void)
{
	pid_t pid;
	int status = 0;

	fflush(stdout);
	pid = vfork();
	if (pid == -1)
		return 1;
	if (pid == 0) {
		{
			int status = 5;
			(void)status;
		}
		status = 7;
		_exit(0);
	}
	waitpid(pid, NULL, 0);
	return status;
}

/* A static declared in the child lives in memory the parent shares. */
int counted(char **argv)
{
	pid_t pid;

	pid = vfork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		static int tries;
		tries++;
		execv(argv[0], argv);
		_exit(127);
	}
	return pid;
}

/* The same shape with a block-local counter is the child's own. */
int private_counter(char **argv)
{
	pid_t pid;

	pid = vfork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		int fd;
		for (fd = 3; fd < 64; fd++)
			close(fd);
		execv(argv[0], argv);
		_exit(127);
	}
	return pid;
}

int main(void)
{
	char *argv[] = { "/bin/true", NULL };
	int status;

	printf("shadowed: %d\n", shadowed());
	waitpid(counted(argv), &status, 0);
	printf("counted: %d\n", WEXITSTATUS(status));
	waitpid(private_counter(argv), &status, 0);
	printf("private: %d\n", WEXITSTATUS(status));
	return 0;
}
