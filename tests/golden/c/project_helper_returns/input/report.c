#include <unistd.h>

int report(int code);

int report(int code)
{
	write(2, "exec failed\n", 12);
	return code;
}
