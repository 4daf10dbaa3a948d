#include <stdio.h>
#include <unistd.h>
#include <sys/wait.h>
#include <errno.h>
#include <spawn.h>
extern char **environ;

int main(void)
{
  pid_t pid;
  int status;

  fflush(stdout);
  {
    posix_spawn_file_actions_t spawn_fa;
    char *spawn_argv[4];
    int spawn_err;

    posix_spawn_file_actions_init(&spawn_fa);
    spawn_err = posix_spawn_file_actions_adddup2(&spawn_fa, 1, 2);
    spawn_argv[0] = "sh";
    spawn_argv[1] = "-c";
    spawn_argv[2] = "echo two-space indent >&2";
    spawn_argv[3] = NULL;
    if (spawn_err == 0)
      spawn_err = posix_spawn(&pid, "/bin/sh", &spawn_fa, NULL, spawn_argv, environ);
    posix_spawn_file_actions_destroy(&spawn_fa);
    if (spawn_err != 0) {
      errno = spawn_err;
      pid = -1;
    }
  }
  if (pid < 0) {
    return 1;
  }
  waitpid(pid, &status, 0);
  printf("status %d\n", WEXITSTATUS(status));
  return 0;
}
