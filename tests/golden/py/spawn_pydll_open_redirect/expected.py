import os
import tempfile


def main():
    out = os.path.join(tempfile.mkdtemp(), "out.txt")
    try:
        pid = os.posix_spawn(
            "/bin/echo",
            ["echo", "redirected"],
            os.environ,
            file_actions=[
                (os.POSIX_SPAWN_OPEN, 1, out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644),
            ],
        )
    except OSError:
        pid = -1
    if pid < 0:
        return 1
    os.waitpid(pid, 0)
    with open(out) as f:
        print("file holds:", f.read().strip())
    return 0


raise SystemExit(main())
