import os
import tempfile

path = os.path.join(tempfile.mkdtemp(), "in.txt")
with open(path, "w") as f:
    f.write("from the file\n")
pid = os.fork()
if pid < 0:
    raise SystemExit("vfork failed")
if pid == 0:
    fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
    os.dup2(fd, 0)
    os.close(fd)
    os.execv("/bin/sh", ["sh", "-c", "read line && echo \"read: $line\""])
    os._exit(127)
_, status = os.waitpid(pid, 0)
print("status", os.waitstatus_to_exitcode(status))
