#include <stdio.h>
#include <stdlib.h>
#include "fail.h"

/* The program's usual way out: message, then exit (flushing stdio). */
void fail(const char *what)
{
	fprintf(stderr, "%s: failed\n", what);
	exit(3);
}
