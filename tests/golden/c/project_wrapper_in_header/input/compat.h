/* Portability layer: vfork where the platform has it. */
#ifndef COMPAT_H
#define COMPAT_H

#include <sys/types.h>
#include <unistd.h>

void die(const char *what);

/* Dies when vfork fails, so callers only test for the child. */
#define XVFORK() ({ pid_t p_ = vfork(); if (p_ < 0) die("vfork"); p_; })

int run_echo(const char *word);
int run_true(void);

#endif
