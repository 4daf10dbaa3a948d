# After os.setsid() the os.setpgid(0, 0) raises (a session leader cannot
# change its group), so the child never execs; posix_spawn with both
# attributes fails the same way, and the failure reaches the error path.
import ctypes
import os

libc = ctypes.CDLL(None, use_errno=True)
pid = libc.vfork()
if pid == -1:
    print("no child:", os.strerror(ctypes.get_errno()))
    raise SystemExit(0)
if pid == 0:
    os.setsid()
    os.setpgid(0, 0)
    os.execv("/bin/echo", ["echo", "started"])
    os._exit(127)
_, status = os.waitpid(pid, 0)
print("status", os.waitstatus_to_exitcode(status))
