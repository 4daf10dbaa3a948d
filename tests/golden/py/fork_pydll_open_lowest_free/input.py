import ctypes
import os
import tempfile


def main():
    out = os.path.join(tempfile.mkdtemp(), "out.txt")
    libc = ctypes.PyDLL(None)
    pid = libc.vfork()
    if pid < 0:
        return 1
    if pid == 0:
        fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        os.dup2(fd, 1)
        os.close(fd)
        os.execl("/bin/echo", "echo", "redirected")
        os._exit(127)
    os.waitpid(pid, 0)
    with open(out) as f:
        print("file holds:", f.read().strip())
    return 0


raise SystemExit(main())
