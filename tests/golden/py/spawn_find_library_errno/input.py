import ctypes
import ctypes.util
import os

libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)


def start(argv):
    pid = libc.vfork()
    if pid < 0:
        err = ctypes.get_errno()
        print("vfork failed:", os.strerror(err))
        return None
    elif pid == 0:
        os.execv(argv[0], argv)
        os._exit(127)
    return pid


for argv in (["/bin/echo", "found"], ["/nonexistent/prog"]):
    pid = start(argv)
    if pid is not None:
        _, status = os.waitpid(pid, 0)
        print("exit", os.waitstatus_to_exitcode(status))
