/* The started program's view, written to the file named by argv[1]:
 * arguments, environment, open descriptors (what each refers to, its
 * access mode and close-on-exec flag), process group and session, blocked
 * and ignored signals, working directory and umask.  Pipes and sockets are
 * numbered in order of appearance and files shown by name, so two runs in
 * different folders compare equal when they start the program alike. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

extern char **environ;

static char seen[32][64];
static int nseen;

static const char *identity(int fd, char *out, size_t size)
{
	char link[64], target[PATH_MAX];
	ssize_t n;
	int i;

	snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
	n = readlink(link, target, sizeof target - 1);
	if (n < 0)
		return "?";
	target[n] = '\0';
	if (strncmp(target, "pipe:", 5) == 0 || strncmp(target, "socket:", 7) == 0) {
		for (i = 0; i < nseen && strcmp(seen[i], target) != 0; i++)
			;
		if (i == nseen && nseen < 32)
			snprintf(seen[nseen++], sizeof seen[0], "%.63s", target);
		snprintf(out, size, "%.4s#%d", target, i + 1);
		return out;
	}
	if (target[0] == '/' && strncmp(target, "/dev/", 5) != 0) {
		char *base = strrchr(target, '/');
		snprintf(out, size, "file:%.60s", base + 1);
		return out;
	}
	snprintf(out, size, "%.70s", target);
	return out;
}

static int bycmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(int argc, char **argv)
{
	int fds[64], nfds = 0, fd, i, sig;
	int flags[64], fl[64];
	char names[64][80];
	sigset_t blocked;
	struct sigaction sa;
	char cwd[PATH_MAX];
	mode_t mask;
	FILE *out;
	char **env;
	int nenv;

	/* Look before opening anything. */
	for (fd = 0; fd < 64; fd++) {
		int f = fcntl(fd, F_GETFD);
		if (f < 0)
			continue;
		fds[nfds] = fd;
		flags[nfds] = f;
		fl[nfds] = fcntl(fd, F_GETFL);
		identity(fd, names[nfds], sizeof names[0]);
		nfds++;
	}
	sigprocmask(SIG_BLOCK, NULL, &blocked);
	mask = umask(0);
	if (getcwd(cwd, sizeof cwd) == NULL)
		strcpy(cwd, "?");
	if (argc < 2)
		return 2;
	out = fopen(argv[1], "w");
	if (out == NULL)
		return 3;
	for (i = 2; i < argc; i++)
		fprintf(out, "arg %d: %s\n", i - 1, argv[i]);
	for (nenv = 0; environ[nenv]; nenv++)
		;
	env = malloc((nenv + 1) * sizeof *env);
	memcpy(env, environ, (nenv + 1) * sizeof *env);
	qsort(env, nenv, sizeof *env, bycmp);
	for (i = 0; i < nenv; i++)
		if (strncmp(env[i], "PWD=", 4) != 0 && strncmp(env[i], "OLDPWD=", 7) != 0)
			fprintf(out, "env: %s\n", env[i]);
	for (i = 0; i < nfds; i++)
		fprintf(out, "fd %d: %s %s%s%s\n", fds[i], names[i],
			(fl[i] & O_ACCMODE) == O_RDONLY ? "r" : (fl[i] & O_ACCMODE) == O_WRONLY ? "w" : "rw",
			fl[i] & O_APPEND ? " append" : "", flags[i] & FD_CLOEXEC ? " cloexec" : "");
	fprintf(out, "process group: %s\n", getpgrp() == getpid() ? "own" :
		getpgrp() == getpgid(getppid()) ? "the parent's" : "another");
	fprintf(out, "session: %s\n", getsid(0) == getpid() ? "own" :
		getsid(0) == getsid(getppid()) ? "the parent's" : "another");
	fprintf(out, "blocked:");
	for (sig = 1; sig < NSIG; sig++)
		if (sigismember(&blocked, sig) == 1)
			fprintf(out, " %d", sig);
	fprintf(out, "\nignored:");
	/* sigaction refuses glibc's internal signals 32 and 33, which glibc's
	 * posix_spawn leaves ignored (see README: What a rewrite may change). */
	for (sig = 1; sig < NSIG; sig++)
		if (sigaction(sig, NULL, &sa) == 0 && sa.sa_handler == SIG_IGN)
			fprintf(out, " %d", sig);
	fprintf(out, "\ncwd: %s\n", strrchr(cwd, '/') ? strrchr(cwd, '/') + 1 : cwd);
	fprintf(out, "umask: %03o\n", (unsigned)mask);
	fclose(out);
	return 0;
}
