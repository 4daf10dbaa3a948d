#include <stdio.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/wait.h>

static int spawned(void)
{
	pid_t pid;
	int status;

	fflush(stdout);
	pid = vfork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		execl("/bin/echo", "echo", "first", (char *)NULL);
		_exit(127);
	}
	waitpid(pid, &status, 0);
	return WEXITSTATUS(status);
}

static int forked(void)
{
	pid_t pid;
	int status;

	fflush(stdout);
	pid = vfork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		umask(022);
		execl("/bin/echo", "echo", "second", (char *)NULL);
		_exit(127);
	}
	waitpid(pid, &status, 0);
	return WEXITSTATUS(status);
}

static int shared_write(void)
{
	static int failed;
	pid_t pid;
	int status;

	fflush(stdout);
	pid = vfork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		failed = 1;
		execl("/bin/echo", "echo", "third", (char *)NULL);
		_exit(127);
	}
	waitpid(pid, &status, 0);
	return failed ? -1 : WEXITSTATUS(status);
}

int main(void)
{
	printf("%d\n", spawned());
	printf("%d\n", forked());
	printf("%d\n", shared_write());
	return 0;
}
