import ctypes
import os


def start(argv):
    try:
        pid = os.posix_spawn(argv[0], argv, os.environ)
    except OSError as spawn_error:
        ctypes.set_errno(spawn_error.errno)
        pid = -1
    if pid < 0:
        err = ctypes.get_errno()
        print("vfork failed:", os.strerror(err))
        return None
    return pid


for argv in (["/bin/echo", "found"], ["/nonexistent/prog"]):
    pid = start(argv)
    if pid is not None:
        _, status = os.waitpid(pid, 0)
        print("exit", os.waitstatus_to_exitcode(status))
