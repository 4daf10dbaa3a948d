import ctypes
import os

libc = ctypes.CDLL(None)
vfork = libc.vfork


def run():
    pid = vfork()
    if pid:
        if pid < 0:
            return -1
        _, status = os.waitpid(pid, 0)
        return os.waitstatus_to_exitcode(status)
    else:
        for fd in range(3, 32):
            try:
                os.close(fd)
            except OSError:
                pass
        os.execv("/bin/echo", ["echo", "alias"])
        os._exit(127)


print("status", run())
