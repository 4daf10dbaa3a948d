#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>
#include <sys/wait.h>

int main(void)
{
	pid_t pid;
	int status;
	FILE *f;

	f = fopen("in.txt", "w");
	if (f == NULL)
		return 1;
	fputs("from the file\n", f);
	fclose(f);
	fflush(stdout);
	pid = vfork();
	if (pid < 0) {
		perror("vfork");
		return 1;
	}
	if (pid == 0) {
		int fd = open("in.txt", O_RDONLY | O_CLOEXEC);
		dup2(fd, 0);
		close(fd);
		execl("/bin/sh", "sh", "-c", "if read line; then echo \"read: $line\"; else echo no stdin; fi",
		      (char *)NULL);
		_exit(127);
	}
	waitpid(pid, &status, 0);
	printf("status %d\n", WEXITSTATUS(status));
	return 0;
}
