#ifndef UTIL_H
#define UTIL_H

#include <sys/types.h>

/* fork, or die saying why. */
pid_t xfork(void);

#endif
