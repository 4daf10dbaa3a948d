import os

r, w = os.pipe()
try:
    pid = os.posix_spawn(
        "/bin/echo",
        ["echo", "through a pipe"],
        os.environ,
        file_actions=[
            (os.POSIX_SPAWN_CLOSE, r),
            (os.POSIX_SPAWN_DUP2, w, 1),
            (os.POSIX_SPAWN_CLOSE, w),
        ],
    )
except OSError:
    pid = -1
if pid == -1:
    raise OSError("vfork failed")
os.close(w)
data = os.read(r, 100)
os.waitpid(pid, 0)
print("parent read:", data.decode().strip())
