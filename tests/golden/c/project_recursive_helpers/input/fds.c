#include <unistd.h>
#include "fds.h"

/* Close descriptors from `fd` up to `last`, two helpers taking turns. */
void close_odd(int fd, int last)
{
	if (fd > last)
		return;
	close(fd);
	close_even(fd + 1, last);
}

void close_even(int fd, int last)
{
	if (fd > last)
		return;
	close(fd);
	close_odd(fd + 1, last);
}
