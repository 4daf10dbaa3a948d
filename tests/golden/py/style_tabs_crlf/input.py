import ctypes
import os


def run():
	libc = ctypes.CDLL(None)
	pid = libc.vfork()
	if pid == -1:
		return -1
	if pid == 0:
		os.dup2(1, 2)
		os.execv("/bin/sh", ["sh", "-c", "echo tabs and crlf >&2"])
		os._exit(127)
	_, status = os.waitpid(pid, 0)
	return os.waitstatus_to_exitcode(status)


print("status", run())
