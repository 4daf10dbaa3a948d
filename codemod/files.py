"""Finding the files to process, and writing results without losing data."""
from __future__ import annotations

import os
import stat
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, Optional

import pathspec

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


class Ignore:
    """Decides which walked files to leave out: .gitignore files (in the
    walked folders and above them, up to the repository root) and the
    configuration's `exclude` patterns.  Paths named on the command line are
    never left out."""

    def __init__(self, exclude: list = (), root: Optional[Path] = None, gitignore: bool = True):
        self.exclude = pathspec.GitIgnoreSpec.from_lines(exclude) if exclude else None
        self.root = root.resolve() if root else None
        self.gitignore = gitignore
        self._specs: dict = {}

    def _spec(self, folder: Path):
        if folder not in self._specs:
            spec = None
            f = folder / ".gitignore"
            if self.gitignore and f.is_file():
                try:
                    spec = pathspec.GitIgnoreSpec.from_lines(f.read_text("utf-8", "replace").splitlines())
                except (OSError, ValueError):
                    spec = None
            self._specs[folder] = spec
        return self._specs[folder]

    def ignored(self, path: Path, is_dir: bool) -> bool:
        path = path.resolve() if not path.is_symlink() else path.parent.resolve() / path.name
        suffix = "/" if is_dir else ""
        if self.exclude is not None and self.root is not None:
            try:
                rel = path.relative_to(self.root).as_posix()
            except ValueError:
                rel = path.as_posix().lstrip("/")   # outside the root: unanchored patterns still apply
            if rel and self.exclude.match_file(rel + suffix):
                return True
        if not self.gitignore:
            return False
        verdict = None
        for folder in self._folders(path.parent):
            spec = self._spec(folder)
            if spec is None:
                continue
            result = spec.check_file(path.relative_to(folder).as_posix() + suffix)
            if result.include is not None:
                verdict = result.include   # deeper .gitignore files override
        return bool(verdict)

    def _folders(self, folder: Path) -> list:
        """``folder`` and its ancestors up to the repository root, outermost first."""
        chain = []
        for f in [folder, *folder.parents]:
            chain.append(f)
            if (f / ".git").exists():
                break
        else:
            chain = [folder]
        return list(reversed(chain))


def discover(paths: list, ignore: Optional[Ignore] = None) -> Iterator:
    """Yield a :class:`Target` per file (sorted within each directory), or a
    :class:`Missing` for a path that cannot be read.  Each file once."""
    ignore = ignore or Ignore()
    seen: set = set()
    for arg in paths:
        if not os.path.lexists(arg):
            yield Missing(arg, "no such file or directory")
            continue
        if os.path.isdir(arg) and not os.path.islink(arg):
            for target in _walk(arg, ignore):
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


def _walk(top: str, ignore: Ignore) -> Iterator[Target]:
    for dirpath, dirnames, filenames in os.walk(top):
        here = Path(dirpath)
        dirnames[:] = sorted(d for d in dirnames if d not in SKIP_DIRS
                             and not os.path.islink(os.path.join(dirpath, d))
                             and not ignore.ignored(here / d, is_dir=True))
        for name in sorted(filenames):
            full = os.path.join(dirpath, name)
            lang = language_of(name)
            if lang is None or os.path.islink(full) or ignore.ignored(here / name, is_dir=False):
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
