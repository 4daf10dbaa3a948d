#include <unistd.h>

void die_quietly(void);

void die_quietly(void)
{
	_exit(127);
}
