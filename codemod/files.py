"""Finding the files to process, and writing results without losing data."""
from __future__ import annotations

import os
import stat


class ChangedOnDisk(Exception):
    """The file is no longer what was read: it is not overwritten."""


class NotWritten(Exception):
    """The path is not a regular file the tool may replace (a symbolic link)."""


class DeferInterrupt:
    """Within the block, Ctrl-C (SIGINT) only sets ``requested``: the caller
    finishes the file it is writing and stops between files."""

    def __init__(self):
        self.requested = False
        self._previous = None

    def __enter__(self):
        import signal
        import threading
        if threading.current_thread() is threading.main_thread():
            self._previous = signal.signal(signal.SIGINT, self._note)
        return self

    def _note(self, signum, frame):
        self.requested = True

    def __exit__(self, *exc):
        import signal
        if self._previous is not None:
            signal.signal(signal.SIGINT, self._previous)
        return False


def write_atomically(path: str, data: bytes, expected: bytes) -> None:
    """Replace ``path`` with ``data`` through a temporary file in the same
    directory, keeping the file mode.  Refuse if the file changed since it
    was read as ``expected``."""
    import tempfile
    if os.path.islink(path):
        raise NotWritten("is a symbolic link; not written through (name its target instead)")
    st = os.stat(path)
    directory = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix=".vfork-codemod-", dir=directory)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(tmp, stat.S_IMODE(st.st_mode))
        with open(path, "rb") as current:
            if current.read() != expected:
                raise ChangedOnDisk("changed on disk since it was read; not overwritten")
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
