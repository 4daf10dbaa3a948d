/* compat.h -- portability shims for legacyd */
#ifndef LEGACYD_COMPAT_H
#define LEGACYD_COMPAT_H

#include <sys/types.h>
#include <unistd.h>

#ifdef NO_VFORK
#define vfork fork
#endif

extern int run_filter(const char *prog, char *const argv[], int *outfd);
extern pid_t run_detached(const char *dir, const char *cmd);
extern int run_job(char *const argv[]);
extern int run_shell(const char *cmd);

#endif
