import os, sys

pid = os.posix_spawn("/bin/echo", ["echo", "child"], os.environ)
_, status = os.waitpid(pid, 0)
print("parent status", os.waitstatus_to_exitcode(status))
