"""Finding the files to process, and writing results without losing data."""
from __future__ import annotations

import os
import stat
import tempfile
from dataclasses import dataclass
from typing import Iterator, Optional

LANGUAGES = {".c": "c", ".h": "c", ".py": "python"}
SKIP_DIRS = {".git", ".hg", ".svn"}


@dataclass(frozen=True)
class Target:
    """A file to process: its path on disk and the path shown to the user."""

    path: str
    display: str
    language: Optional[str]


@dataclass(frozen=True)
class Missing:
    display: str
    reason: str


def language_of(path: str) -> Optional[str]:
    return LANGUAGES.get(os.path.splitext(path)[1])


def discover(paths: list) -> Iterator:
    """Yield a :class:`Target` per file (sorted within each directory), or a
    :class:`Missing` for a path that cannot be read.  Each file once."""
    seen: set = set()
    for arg in paths:
        if not os.path.lexists(arg):
            yield Missing(arg, "no such file or directory")
            continue
        if os.path.isdir(arg) and not os.path.islink(arg):
            for target in _walk(arg):
                key = os.path.realpath(target.path)
                if key not in seen:
                    seen.add(key)
                    yield target
            continue
        key = os.path.realpath(arg)
        if key in seen:
            continue
        seen.add(key)
        if not os.path.isfile(arg):
            yield Missing(arg, "not a regular file")
            continue
        yield Target(arg, _clean(arg), language_of(arg))


def _walk(top: str) -> Iterator[Target]:
    for dirpath, dirnames, filenames in os.walk(top):
        dirnames[:] = sorted(d for d in dirnames if d not in SKIP_DIRS
                             and not os.path.islink(os.path.join(dirpath, d)))
        for name in sorted(filenames):
            full = os.path.join(dirpath, name)
            lang = language_of(name)
            if lang is None or os.path.islink(full):
                continue
            yield Target(full, _clean(full), lang)


def _clean(path: str) -> str:
    return os.path.normpath(path)


class ChangedOnDisk(Exception):
    """The file is no longer what was read: it is not overwritten."""


def write_atomically(path: str, data: bytes, expected: bytes) -> None:
    """Replace ``path`` with ``data`` through a temporary file in the same
    directory, keeping the file mode.  Refuse if the file changed since it
    was read as ``expected``."""
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
                raise ChangedOnDisk(f"{path} changed on disk since it was read; not overwritten")
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
