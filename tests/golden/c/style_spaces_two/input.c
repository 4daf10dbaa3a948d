#include <stdio.h>
#include <unistd.h>
#include <sys/wait.h>

int main(void)
{
  pid_t pid;
  int status;

  fflush(stdout);
  pid = vfork();
  if (pid < 0) {
    return 1;
  }
  if (pid == 0) {
    if (dup2(1, 2) < 0)
      _exit(126);
    execl("/bin/sh", "sh", "-c", "echo two-space indent >&2", (char *)NULL);
    _exit(127);
  }
  waitpid(pid, &status, 0);
  printf("status %d\n", WEXITSTATUS(status));
  return 0;
}
