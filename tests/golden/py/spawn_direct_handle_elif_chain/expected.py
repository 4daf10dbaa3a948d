import os


def run():
    try:
        pid = os.posix_spawnp("sh", ["sh", "-c", "echo direct; exit 3"], os.environ)
    except OSError:
        pid = -1
    if pid < 0:
        print("failed")
        return -1
    else:
        _, status = os.waitpid(pid, 0)
        return os.waitstatus_to_exitcode(status)


print("status", run())
