#ifndef COMPAT_H
#define COMPAT_H

#include <sys/types.h>
#include <unistd.h>

/* Hands back its argument; dies when it says vfork failed. */
pid_t checked(pid_t pid);

/* toybox's idiom: the wrapper passes vfork's value through a checker. */
#define XVFORK() checked(vfork())

#endif
