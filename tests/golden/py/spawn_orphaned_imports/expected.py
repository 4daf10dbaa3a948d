"""Names only the child used go with it; names the parent uses stay."""
import signal
from os import getpid, waitpid
import os


def main():
    parent = getpid()
    try:
        pid = os.posix_spawn(
            "/bin/echo",
            ["echo", "child of a parent"],
            os.environ,
            setsigdef=(signal.SIGTERM,),
        )
    except OSError:
        pid = -1
    if pid < 0:
        return 1
    waitpid(pid, 0)
    print("parent", parent == getpid())
    return 0


raise SystemExit(main())
