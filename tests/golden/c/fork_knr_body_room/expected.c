#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

static int tfile = -1;
static int status;

/*
 * ex(1) style: the old definitions below have no type, no parameters and
 * no blank before them, so the type the parse needs borrows the
 * indentation of the body's first lines.
 */
waitfor()
{
	int rpid;

	while ((rpid = wait(&status)) < 0)
		;
	return rpid;
}
preserve()
{
	int pid;

	fflush(stdout);
	pid = fork();
	if (pid < 0)
		return (0);
	if (pid == 0) {
		close(0);
		dup(tfile);
		execl("/bin/cat", "cat", (char *) 0);
		_exit(1);
	}
	if (waitfor() == pid && status == 0)
		return (1);
	return (0);
}

int
main()
{
	char name[] = "/tmp/knr-body-room-XXXXXX";
	int fd = mkstemp(name);

	if (fd < 0 || write(fd, "saved text\n", 11) != 11)
		return 2;
	tfile = open(name, O_RDONLY);
	unlink(name);
	printf("preserved: %d\n", preserve());
	return 0;
}
