import ctypes
import os


def run():
    pid = ctypes.CDLL(None).vfork()
    if pid < 0:
        print("failed")
        return -1
    elif pid == 0:
        os.execlp("sh", "sh", "-c", "echo direct; exit 3")
        os._exit(127)
    else:
        _, status = os.waitpid(pid, 0)
        return os.waitstatus_to_exitcode(status)


print("status", run())
