import ctypes, os, sys

libc = ctypes.CDLL(None, use_errno=True)
pid = libc.vfork()
if pid == 0:
    os.execv("/bin/echo", ["echo", "child"])
    os._exit(127)
_, status = os.waitpid(pid, 0)
print("parent status", os.waitstatus_to_exitcode(status))
