#include <unistd.h>

#define BEGIN_CHILD {
#define END_CHILD }

int odd(char **argv)
{
	pid_t pid;

	pid = vfork();
	if (pid == 0) BEGIN_CHILD
		execv(argv[0], argv) ;;; ) ;
		_exit(127);
	END_CHILD
	return pid;
}
