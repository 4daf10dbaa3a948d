"""Start a helper through libc, the old way."""
import os


def run(word):
    pid = os.posix_spawnp("echo", ["echo", word], os.environ)
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status)


if __name__ == "__main__":
    print("status", run("from CDLL"))
