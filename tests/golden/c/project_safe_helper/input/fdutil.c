#include <stdio.h>
#include <unistd.h>
#include "fdutil.h"

/* Give `from` the number `to`; leaves `to` as it is when they are equal. */
void move_fd(int from, int to)
{
	if (from != to) {
		dup2(from, to);
		close(from);
	}
}

/* Report a failed exec from a child and end it, without stdio buffers. */
void child_failed(const char *what)
{
	fprintf(stderr, "cannot run %s\n", what);
	_exit(127);
}
