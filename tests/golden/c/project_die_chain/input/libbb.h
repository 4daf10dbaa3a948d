/* The error path of a busybox-style library: x*() helpers that die when
 * their system call fails, through bb_perror_msg_and_die() and xfunc_die(),
 * which runs a hook the program may set before it exits. */
#include <stdarg.h>

#define NORETURN __attribute__ ((noreturn))

extern void (*die_func)(void);
extern int xfunc_error_retval;

void xfunc_die(void) NORETURN;
void bb_verror_msg(const char *s, va_list p, const char *strerr);
void bb_perror_msg_and_die(const char *s, ...) NORETURN;
void xdup2(int from, int to);
void xmove_fd(int from, int to);
