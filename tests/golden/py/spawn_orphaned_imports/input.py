"""Names only the child used go with it; names the parent uses stay."""
import ctypes
import signal
import sys
from os import _exit, execv, getpid, waitpid

libc = ctypes.CDLL(None, use_errno=True)


def main():
    parent = getpid()
    pid = libc.vfork()
    if pid == 0:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        execv("/bin/echo", ["echo", "child of a parent"])
        sys.stderr.flush()
        _exit(127)
    if pid < 0:
        return 1
    waitpid(pid, 0)
    print("parent", parent == getpid())
    return 0


raise SystemExit(main())
