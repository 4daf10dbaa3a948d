#include <stdio.h>
#include <signal.h>
#include <unistd.h>
#include <sys/wait.h>
#include <errno.h>
#include <spawn.h>
extern char **environ;

int main(void)
{
	pid_t pid;
	int status;

	signal(SIGINT, SIG_IGN);
	fflush(stdout);
	{
		posix_spawnattr_t spawn_attr;
		sigset_t spawn_sigdef;
		char *spawn_argv[4];
		int spawn_err;

		posix_spawnattr_init(&spawn_attr);
		posix_spawnattr_setflags(&spawn_attr, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF);
		posix_spawnattr_setpgroup(&spawn_attr, 0);
		sigemptyset(&spawn_sigdef);
		sigaddset(&spawn_sigdef, SIGINT);
		sigaddset(&spawn_sigdef, SIGQUIT);
		posix_spawnattr_setsigdefault(&spawn_attr, &spawn_sigdef);
		spawn_argv[0] = "sh";
		spawn_argv[1] = "-c";
		spawn_argv[2] = "read -r p c s pp pg rest < /proc/$$/stat; [ $pg = $$ ] && echo own group; m=$(sed -n 's/^SigIgn:[[:space:]]*//p' /proc/$$/status); echo ignored: $(( 0x$m & 0x6 ))";
		spawn_argv[3] = NULL;
		spawn_err = posix_spawn(&pid, "/bin/sh", NULL, &spawn_attr, spawn_argv, environ);
		posix_spawnattr_destroy(&spawn_attr);
		if (spawn_err != 0) {
			errno = spawn_err;
			pid = -1;
		}
	}
	if (pid < 0)
		return 1;
	waitpid(pid, &status, 0);
	printf("status %d\n", WEXITSTATUS(status));
	return 0;
}
