# os.dup2(w, w) does nothing: w keeps close-on-exec (os.pipe makes it so)
# and the program does not get it; adddup2(w, w) would clear the flag.
import ctypes
import os

r, w = os.pipe()
libc = ctypes.CDLL(None)
pid = libc.vfork()
if pid == -1:
    raise SystemExit("vfork failed")
if pid == 0:
    os.dup2(w, w)
    os.execv("/bin/sh", ["sh", "-c", "if [ -e /proc/$$/fd/%d ]; then echo pipe open; else echo pipe closed; fi" % w])
    os._exit(127)
_, status = os.waitpid(pid, 0)
print("status", os.waitstatus_to_exitcode(status))
