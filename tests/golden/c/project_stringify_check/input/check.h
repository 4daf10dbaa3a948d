#ifndef CHECK_H
#define CHECK_H

#include <string.h>
#include <unistd.h>

/* Says which check failed, on standard error, and ends the process. */
static inline void check_or_die(int ok, const char *what)
{
	if (!ok) {
		write(2, "check failed: ", 14);
		write(2, what, strlen(what));
		write(2, "\n", 1);
		_exit(126);
	}
}

#define CHECK(cond) check_or_die((cond), #cond)

#endif
