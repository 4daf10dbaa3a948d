from ctypes import CDLL
from os import _exit, execv, waitpid

libc = CDLL(None)


def main():
    pid = libc.vfork()
    if pid == 0:
        execv("/bin/echo", ["echo", "imports added"])
        _exit(127)
    elif pid < 0:
        return 1
    waitpid(pid, 0)
    return 0


raise SystemExit(main())
