#include <stdio.h>
#include <string.h>
#include <signal.h>
#include <unistd.h>
#include <sys/wait.h>
#include <errno.h>
#include <spawn.h>
extern char **environ;

/* Run with "report", print which of SIGUSR1/SIGUSR2 this process blocks. */
static int report(void)
{
	sigset_t now;

	sigprocmask(SIG_BLOCK, NULL, &now);
	printf("SIGUSR1 %s\n", sigismember(&now, SIGUSR1) ? "blocked" : "open");
	printf("SIGUSR2 %s\n", sigismember(&now, SIGUSR2) ? "blocked" : "open");
	return 0;
}

int main(int argc, char **argv)
{
	sigset_t blocked, child;
	pid_t pid;
	int status;

	if (argc > 1 && strcmp(argv[1], "report") == 0)
		return report();
	sigemptyset(&blocked);
	sigaddset(&blocked, SIGUSR1);
	sigaddset(&blocked, SIGUSR2);
	sigprocmask(SIG_BLOCK, &blocked, NULL);
	sigemptyset(&child);
	sigaddset(&child, SIGUSR2);
	fflush(stdout);
	{
		posix_spawnattr_t spawn_attr;
		char *spawn_argv[3];
		int spawn_err;

		posix_spawnattr_init(&spawn_attr);
		posix_spawnattr_setflags(&spawn_attr, POSIX_SPAWN_SETSIGMASK);
		posix_spawnattr_setsigmask(&spawn_attr, &child);
		spawn_argv[0] = (char *)argv[0];
		spawn_argv[1] = "report";
		spawn_argv[2] = NULL;
		spawn_err = posix_spawn(&pid, argv[0], NULL, &spawn_attr, spawn_argv, environ);
		posix_spawnattr_destroy(&spawn_attr);
		if (spawn_err != 0) {
			errno = spawn_err;
			pid = -1;
		}
	}
	if (pid == -1)
		return 1;
	waitpid(pid, &status, 0);
	printf("status %d\n", WEXITSTATUS(status));
	return 0;
}
