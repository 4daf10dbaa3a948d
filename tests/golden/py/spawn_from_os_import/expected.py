from os import waitpid
import os


def main():
    try:
        pid = os.posix_spawn("/bin/echo", ["echo", "imports added"], os.environ)
    except OSError:
        pid = -1
    if pid < 0:
        return 1
    waitpid(pid, 0)
    return 0


raise SystemExit(main())
