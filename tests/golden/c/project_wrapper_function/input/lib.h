#include <sys/types.h>

pid_t xvfork(void);
