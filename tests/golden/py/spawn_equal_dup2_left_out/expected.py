# os.dup2(w, w) does nothing: w keeps close-on-exec (os.pipe makes it so)
# and the program does not get it; adddup2(w, w) would clear the flag.
import os

r, w = os.pipe()
try:
    pid = os.posix_spawn(
        "/bin/sh",
        ["sh", "-c", "if [ -e /proc/$$/fd/%d ]; then echo pipe open; else echo pipe closed; fi" % w],
        os.environ,
    )
except OSError:
    pid = -1
if pid == -1:
    raise SystemExit("vfork failed")
_, status = os.waitpid(pid, 0)
print("status", os.waitstatus_to_exitcode(status))
