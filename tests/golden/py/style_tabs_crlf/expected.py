import os


def run():
	try:
		pid = os.posix_spawn(
			"/bin/sh",
			["sh", "-c", "echo tabs and crlf >&2"],
			os.environ,
			file_actions=[
				(os.POSIX_SPAWN_DUP2, 1, 2),
			],
		)
	except OSError:
		pid = -1
	if pid == -1:
		return -1
	_, status = os.waitpid(pid, 0)
	return os.waitstatus_to_exitcode(status)


print("status", run())
