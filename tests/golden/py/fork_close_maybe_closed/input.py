# os.close(3) raises when descriptor 3 is not open, and then the child never
# reaches exec; posix_spawn ignores such a close and would start the program.
import ctypes
import os

libc = ctypes.CDLL(None)
pid = libc.vfork()
if pid == -1:
    raise SystemExit("vfork failed")
if pid == 0:
    os.close(3)
    os.execv("/bin/echo", ["echo", "started"])
    os._exit(127)
_, status = os.waitpid(pid, 0)
print("status", os.waitstatus_to_exitcode(status))
