#include <stdio.h>
#include <unistd.h>
#include <sys/wait.h>

/* Auteur : François, décembre 1994 */
int main(void)
{
	pid_t pid;
	int status;

	fflush(stdout);
	pid = vfork();
	if (pid < 0)
		return 1;
	if (pid == 0) {
		/* l'enfant exécute echo */
		execl("/bin/echo", "echo", "latin-1 survives", (char *)NULL);
		_exit(127);
	}
	waitpid(pid, &status, 0);
	printf("status %d\n", WEXITSTATUS(status));
	return 0;
}
