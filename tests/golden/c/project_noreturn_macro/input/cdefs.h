#ifndef CDEFS_H
#define CDEFS_H

#define __dead __attribute__((__noreturn__))

__dead void fatal(const char *what);

#endif
