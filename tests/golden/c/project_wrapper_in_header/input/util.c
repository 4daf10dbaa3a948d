#include <stdio.h>
#include <stdlib.h>
#include "compat.h"

void die(const char *what)
{
	perror(what);
	exit(2);
}
