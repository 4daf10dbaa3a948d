#include <string.h>
#include <unistd.h>

#include "msg.h"

void msg_simple_note(const char *s)
{
	write(2, s, strlen(s));
	write(2, "\n", 1);
}

void msg_note(const char *fmt, const char *arg)
{
	write(2, fmt, strlen(fmt));
	write(2, ": ", 2);
	write(2, arg, strlen(arg));
	write(2, "\n", 1);
}
