"""The exec-failure handler says why: os.posix_spawn would raise in the
parent instead and the message and the 127 would be lost; fork keeps them."""
import ctypes
import os
import sys

libc = ctypes.CDLL(None, use_errno=True)


def run(argv):
    pid = libc.vfork()
    if pid == 0:
        try:
            os.execv(argv[0], argv)
        except OSError as e:
            print(f"cannot run {argv[0]}: {e.strerror}", file=sys.stderr)
        os._exit(127)
    if pid < 0:
        return -1
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status)


os.dup2(1, 2)
sys.stdout.reconfigure(line_buffering=True)
print("ok:", run(["/bin/echo", "hello"]))
print("bad:", run(["/nonexistent/prog"]))
