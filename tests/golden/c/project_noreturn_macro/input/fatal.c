#include <stdio.h>
#include <stdlib.h>
#include "cdefs.h"

void (*fatal_hook)(void);

/* Declared __dead in cdefs.h; what the hook does is the caller's business. */
void fatal(const char *what)
{
	perror(what);
	if (fatal_hook)
		fatal_hook();
	exit(1);
}
