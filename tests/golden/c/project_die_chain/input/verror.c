#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <syslog.h>
#include "libbb.h"

const char *applet_name = "demo";

/* One write of "applet: message: strerror\n", built on the stack when it
 * fits, else on the heap. */
void bb_verror_msg(const char *s, va_list p, const char *strerr)
{
	char *msg;
	char stack_msg[80];
	int applet_len, strerr_len, used;

	applet_len = strlen(applet_name) + 2;
	strerr_len = strerr ? strlen(strerr) : 0;
	if ((int)sizeof(stack_msg) - applet_len > 0) {
		va_list p2;

		va_copy(p2, p);
		used = vsnprintf(stack_msg + applet_len, (int)sizeof(stack_msg) - applet_len, s, p2);
		va_end(p2);
		msg = stack_msg;
		used += applet_len;
		if (used < (int)sizeof(stack_msg) - 4 - strerr_len)
			goto add_prefix;
	}
	used = vasprintf(&msg, s, p);
	if (used < 0)
		return;
	{
		char *bigger = realloc(msg, applet_len + used + strerr_len + 4);

		if (!bigger) {
			free(msg);
			return;
		}
		msg = bigger;
		memmove(msg + applet_len, msg, used);
		used += applet_len;
 add_prefix:
		memcpy(msg, applet_name, applet_len - 2);
		msg[applet_len - 2] = ':';
		msg[applet_len - 1] = ' ';
		if (strerr) {
			msg[used++] = ':';
			msg[used++] = ' ';
			strcpy(&msg[used], strerr);
			used += strerr_len;
		}
		msg[used++] = '\n';
	}
	fflush(NULL);
	if (write(STDERR_FILENO, msg, used) < 0)
		used = 0;
#ifdef ENABLE_FEATURE_SYSLOG
	syslog(LOG_ERR, "%.*s", used, msg);
#endif
	if (msg != stack_msg)
		free(msg);
}

void bb_perror_msg_and_die(const char *s, ...)
{
	va_list p;

	va_start(p, s);
	bb_verror_msg(s, p, errno ? strerror(errno) : NULL);
	va_end(p);
	xfunc_die();
}
