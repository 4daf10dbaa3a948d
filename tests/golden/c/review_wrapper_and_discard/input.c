#include <unistd.h>

pid_t xvfork(void)
{
	return vfork();
}

void fire_and_forget(void)
{
	vfork();
}

extern int track(pid_t);

void passed_on(void)
{
	track(vfork());
}
