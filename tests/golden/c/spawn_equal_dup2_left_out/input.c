/* dup2(fd, fd) does nothing: fd keeps close-on-exec and the program does
 * not get it.  posix_spawn_file_actions_adddup2(&fa, fd, fd) would clear
 * close-on-exec (glibc 2.29 and later), so the rewrite leaves it out. */
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>
#include <sys/wait.h>

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
	pid = vfork();
	if (pid < 0) {
		perror("vfork");
		return 1;
	}
	if (pid == 0) {
		dup2(fd, fd);
		execl("/bin/sh", "sh", "-c", "if [ -e /proc/$$/fd/$1 ]; then echo fd open; else echo fd closed; fi",
		      "sh", num, (char *)NULL);
		_exit(127);
	}
	waitpid(pid, &status, 0);
	printf("status %d\n", WEXITSTATUS(status));
	return 0;
}
