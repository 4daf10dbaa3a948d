"""Writing results without losing data, and stopping cleanly on signals.

A file is rewritten through a temporary file in its own folder, given the
original's mode, owner, group and extended attributes (ACLs and SELinux
labels are extended attributes), then renamed over it: the file is either
wholly old or wholly new.  A file the tool cannot replace that way without
losing something (a hard-linked file, whose other names would keep the old
text; an owner or attribute it cannot give the new file) is left alone
with a message.

Temporary files are named ``.vfork-codemod-<pid>-<random>.tmp``: one left
by a run that was killed (SIGKILL cannot be caught) is recognised by a
later run from its name and removed.
"""
from __future__ import annotations

import os
import re
import stat
from typing import Optional

TEMP_PREFIX = ".vfork-codemod-"
_TEMP = re.compile(r"^\.vfork-codemod-(\d+)-[A-Za-z0-9_]+\.tmp$")
SIGNALS = ("SIGINT", "SIGTERM", "SIGHUP")


class ChangedOnDisk(Exception):
    """The file is no longer what was read: it is not overwritten."""


class NotWritten(Exception):
    """The path is not a file the tool may replace (a symbolic link, a
    hard-linked file, an owner or attribute it cannot keep)."""


class Stopped(Exception):
    """SIGTERM or SIGHUP arrived: stop like Ctrl-C, with the signal's status."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


def stop_on_signals() -> None:
    """Make SIGTERM and SIGHUP raise :class:`Stopped` in the main thread, so
    they end the run as Ctrl-C does: with a message, no half-written file."""
    import signal
    import threading
    if threading.current_thread() is not threading.main_thread():
        return                    # signal handlers belong to the main thread

    def stop(signum, frame):
        raise Stopped(signum)
    for name in ("SIGTERM", "SIGHUP"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), stop)


class DeferInterrupt:
    """Within the block, SIGINT, SIGTERM and SIGHUP only set ``requested``
    (and ``signum``): the caller finishes the file it is writing and stops
    between files."""

    def __init__(self):
        self.requested = False
        self.signum: Optional[int] = None
        self._previous: dict = {}

    def __enter__(self):
        import signal
        import threading
        if threading.current_thread() is threading.main_thread():
            for name in SIGNALS:
                if hasattr(signal, name):
                    number = getattr(signal, name)
                    self._previous[number] = signal.signal(number, self._note)
        return self

    def _note(self, signum, frame):
        self.requested = True
        self.signum = self.signum or signum

    def __exit__(self, *exc):
        import signal
        for number, handler in self._previous.items():
            signal.signal(number, handler)
        return False

    @property
    def status(self) -> int:
        """The exit status the shell expects after this signal (130 for Ctrl-C)."""
        return 128 + (self.signum or 2)


def write_atomically(path: str, data: bytes, expected: bytes) -> None:
    """Replace ``path`` with ``data`` through a temporary file in the same
    directory, keeping its mode, owner, group and extended attributes.
    Refuse if the file changed since it was read as ``expected``, is a
    symbolic link, or has other hard links."""
    import tempfile
    if os.path.islink(path):
        raise NotWritten("is a symbolic link; not written through (name its target instead)")
    st = os.stat(path)
    if st.st_nlink > 1:
        raise NotWritten(f"has {st.st_nlink} hard links: replacing it would leave the other names with the old "
                         "text; not written (rewrite the other names too, or break the links first)")
    directory = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix=f"{TEMP_PREFIX}{os.getpid()}-", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        _keep_owner(tmp, st)
        os.chmod(tmp, stat.S_IMODE(st.st_mode))      # after chown, which clears set-id bits
        _keep_xattrs(path, tmp)
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


def _keep_owner(tmp: str, st: os.stat_result) -> None:
    mine = os.stat(tmp)
    if (mine.st_uid, mine.st_gid) == (st.st_uid, st.st_gid):
        return
    try:
        os.chown(tmp, st.st_uid, st.st_gid)
    except OSError:
        raise NotWritten(f"belongs to uid {st.st_uid} gid {st.st_gid}, and a rewritten copy could not be given "
                         "that owner (run as that user, or as root); not written") from None


def _keep_xattrs(path: str, tmp: str) -> None:
    if not hasattr(os, "listxattr"):      # pragma: no cover - not Linux
        return
    try:
        names = os.listxattr(path, follow_symlinks=False)
    except OSError:
        return                          # the file system has none
    for name in names:
        try:
            value = os.getxattr(path, name, follow_symlinks=False)
        except OSError:
            continue
        try:
            if os.getxattr(tmp, name, follow_symlinks=False) == value:
                continue
        except OSError:
            pass
        try:
            os.setxattr(tmp, name, value, follow_symlinks=False)
        except OSError as exc:
            raise NotWritten(f"has the extended attribute {name}, which a rewritten copy could not be given "
                             f"({exc.strerror}); not written") from None


def stale_owner(name: str) -> Optional[int]:
    """The pid that made temporary file ``name`` when that process is gone, else None."""
    m = _TEMP.match(name)
    if m is None:
        return None
    pid = int(m.group(1))
    if pid == os.getpid():
        return None
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return pid
    except PermissionError:
        return None                       # alive, someone else's
    return None
