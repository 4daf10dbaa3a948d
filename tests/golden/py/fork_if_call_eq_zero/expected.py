import os

if os.fork() == 0:
    os.execv("/bin/echo", ["echo", "no variable"])
    os._exit(127)
_, status = os.wait()
print("status", os.waitstatus_to_exitcode(status))
