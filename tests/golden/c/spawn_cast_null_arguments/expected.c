#include <stdio.h>
#include <string.h>
#include <signal.h>
#include <unistd.h>
#include <sys/wait.h>
#include <errno.h>
#include <spawn.h>
extern char **environ;

static int shell(const char *line)
{
	sigset_t omask, block;
	pid_t pid;
	int status;

	signal(SIGQUIT, SIG_IGN);
	sigemptyset(&block);
	sigaddset(&block, SIGUSR1);
	sigprocmask(SIG_BLOCK, &block, &omask);
	fflush(stdout);
	{
		posix_spawnattr_t spawn_attr;
		sigset_t spawn_sigdef;
		char *spawn_argv[4];
		int spawn_err;

		posix_spawnattr_init(&spawn_attr);
		posix_spawnattr_setflags(&spawn_attr, POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);
		posix_spawnattr_setsigmask(&spawn_attr, &omask);
		sigemptyset(&spawn_sigdef);
		sigaddset(&spawn_sigdef, SIGQUIT);
		posix_spawnattr_setsigdefault(&spawn_attr, &spawn_sigdef);
		spawn_argv[0] = "sh";
		spawn_argv[1] = "-c";
		spawn_argv[2] = (char *)line;
		spawn_argv[3] = NULL;
		spawn_err = posix_spawn(&pid, "/bin/sh", NULL, &spawn_attr, spawn_argv, environ);
		posix_spawnattr_destroy(&spawn_attr);
		if (spawn_err != 0) {
			errno = spawn_err;
			pid = -1;
		}
	}
	if (pid < (pid_t) 0)
		return -1;
	sigprocmask(SIG_SETMASK, &omask, (sigset_t *) NULL);
	if (waitpid(pid, &status, 0) != pid)
		return -1;
	return WEXITSTATUS(status);
}

int main(void)
{
	int status = shell("m=$(sed -n 's/^SigIgn:[[:space:]]*//p' /proc/$$/status); "
			   "b=$(sed -n 's/^SigBlk:[[:space:]]*//p' /proc/$$/status); "
			   "echo quit ignored: $(( 0x$m & 0x4 )), usr1 blocked: $(( 0x$b & 0x200 )); exit 5");

	printf("status %d\n", status);
	return 0;
}
