#include <unistd.h>

int tricky(char **argv)
{
	pid_t pid;

	switch (pid = vfork()) {
	case -1:
		return -1;
	case 0:
		execv(argv[0], argv);
		break;
	default:
		break;
	}
	return pid;
}
