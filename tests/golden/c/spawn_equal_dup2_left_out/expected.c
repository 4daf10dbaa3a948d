/* dup2(fd, fd) does nothing: fd keeps close-on-exec and the program does
 * not get it.  posix_spawn_file_actions_adddup2(&fa, fd, fd) would clear
 * close-on-exec (glibc 2.29 and later), so the rewrite leaves it out. */
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>
#include <sys/wait.h>
#include <errno.h>
#include <spawn.h>
extern char **environ;

int main(void)
{
	pid_t pid;
	int status, fd;
	char num[16];

	fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 1;
	snprintf(num, sizeof num, "%d", fd);
	fflush(stdout);
	{
		char *spawn_argv[6];
		int spawn_err;

		spawn_argv[0] = "sh";
		spawn_argv[1] = "-c";
		spawn_argv[2] = "if [ -e /proc/$$/fd/$1 ]; then echo fd open; else echo fd closed; fi";
		spawn_argv[3] = "sh";
		spawn_argv[4] = (char *)num;
		spawn_argv[5] = NULL;
		spawn_err = posix_spawn(&pid, "/bin/sh", NULL, NULL, spawn_argv, environ);
		if (spawn_err != 0) {
			errno = spawn_err;
			pid = -1;
		}
	}
	if (pid < 0) {
		perror("vfork");
		return 1;
	}
	waitpid(pid, &status, 0);
	printf("status %d\n", WEXITSTATUS(status));
	return 0;
}
