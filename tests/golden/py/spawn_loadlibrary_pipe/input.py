import ctypes
import os

libc = ctypes.cdll.LoadLibrary("libc.so.6")

r, w = os.pipe()
pid = libc.vfork()
if pid == -1:
    raise OSError("vfork failed")
if pid == 0:
    os.close(r)
    os.dup2(w, 1)
    os.close(w)
    os.execv("/bin/echo", ["echo", "through a pipe"])
    os._exit(127)
os.close(w)
data = os.read(r, 100)
os.waitpid(pid, 0)
print("parent read:", data.decode().strip())
