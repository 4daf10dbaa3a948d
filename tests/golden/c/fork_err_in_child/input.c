#include <err.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

/* BSD style: the child reports with err(3), which calls exit(). */
static int run(const char *input, char **argv)
{
	pid_t pid;
	int fd, status;

	switch (pid = vfork()) {
	case -1:
		err(1, "vfork");
	case 0:
		umask(022);
		if ((fd = open(input, O_RDONLY)) == -1)
			err(2, "can't open %s", input);
		if (fd != STDIN_FILENO) {
			if (dup2(fd, STDIN_FILENO) != STDIN_FILENO)
				errx(3, "can't dup2 to stdin");
			close(fd);
		}
		execv(argv[0], argv);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) < 0)
		return -1;
	return WEXITSTATUS(status);
}

int main(void)
{
	char *cat[] = { "/bin/cat", NULL };

	printf("pending output, not flushed before vfork\n");
	printf("missing: %d\n", run("/no/such/input", cat));
	fflush(stdout);
	printf("present: %d\n", run("/dev/null", cat));
	return 0;
}
