# After os.setsid() the os.setpgid(0, 0) raises (a session leader cannot
# change its group), so the child never execs; posix_spawn with both
# attributes fails the same way, and the failure reaches the error path.
import ctypes
import os

try:
    pid = os.posix_spawn(
        "/bin/echo",
        ["echo", "started"],
        os.environ,
        setpgroup=0,
        setsid=True,
    )
except OSError as spawn_error:
    ctypes.set_errno(spawn_error.errno)
    pid = -1
if pid == -1:
    print("no child:", os.strerror(ctypes.get_errno()))
    raise SystemExit(0)
_, status = os.waitpid(pid, 0)
print("status", os.waitstatus_to_exitcode(status))
