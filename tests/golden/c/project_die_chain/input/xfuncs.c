#include <stdlib.h>
#include <unistd.h>
#include "libbb.h"

void (*die_func)(void);
int xfunc_error_retval = 1;

void xfunc_die(void)
{
	if (die_func)
		die_func();
	exit(xfunc_error_retval);
}

void xdup2(int from, int to)
{
	if (dup2(from, to) != to)
		bb_perror_msg_and_die("can't duplicate file descriptor");
}

void xmove_fd(int from, int to)
{
	if (from == to)
		return;
	xdup2(from, to);
	close(from);
}
