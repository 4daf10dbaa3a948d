"""Start a helper through libc, the old way."""
import os
from ctypes import CDLL


def run(word):
    libc = CDLL("libc.so.6")
    pid = libc.vfork()
    if not pid:
        os.execvp("echo", ["echo", word])
        os._exit(127)
    else:
        _, status = os.waitpid(pid, 0)
        return os.waitstatus_to_exitcode(status)


if __name__ == "__main__":
    print("status", run("from CDLL"))
