/* vfork() is mentioned in this comment and must not count. */
#include <unistd.h>

#undef vfork
#define vfork fork
#define xvfork() (use_vfork ? vfork() : fork())

extern pid_t vfork(void);
extern int use_vfork;
static const char *why = "we used to call vfork() here";

typedef pid_t (*forker)(void);

forker pick(void)
{
	return &vfork;
}

forker pick_plain(void)
{
	forker f = vfork;
	return f;
}
