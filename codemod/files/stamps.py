"""What the cache compares of a path on disk, and the check that a
recorded walk would find the same files today.

Imports nothing beyond ``os``: the warm run's fast path
(:mod:`codemod.files.replay`) runs these checks before the rest of the
tool is loaded.
"""
from __future__ import annotations

import os

ABSENT = ()        # the signature recorded for a path that does not exist (where absence is expected)
# A file changed this close before a run may change again within the same
# clock tick, its size kept (git's "racily clean" entries): it is recorded
# as unknown, a walk or a replay record then not at all.
RECENT_NS = 2_000_000_000


def signature(path: str, missing_ok: bool = False):
    """(size, mtime_ns, ctime_ns, inode) of ``path``, not following a
    symbolic link; :data:`ABSENT` when it does not exist and ``missing_ok``;
    else None when it cannot be stat'ed."""
    try:
        st = os.stat(path, follow_symlinks=False)
    except FileNotFoundError:
        return ABSENT if missing_ok else None
    except OSError:
        return None
    return st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino


def digest_of(path: str):
    """A digest of the file's bytes (None: it cannot be read)."""
    import hashlib
    try:
        with open(path, "rb") as fh:
            return hashlib.blake2b(fh.read(), digest_size=20).digest()
    except OSError:
        return None


def path_kind(arg: str) -> tuple:
    """(argument, kind, real path) of a path named on the command line:
    the walk's answer depends on whether it is a folder, a file, something
    else or nothing."""
    if os.path.isdir(arg) and not os.path.islink(arg):
        kind = "dir"
    elif os.path.isfile(arg):
        kind = "file"
    else:
        kind = "other" if os.path.lexists(arg) else "none"
    return arg, kind, os.path.realpath(arg)


def walk_unchanged(args: tuple, dirs: dict, probes: dict, exists: dict, excludes_files: dict) -> bool:
    """Whether a walk now would find what the walk recorded with these
    (see :class:`codemod.files.walkrecord.WalkRecord`) found: the named
    paths are of the same kinds, no listed folder and no ignore file it
    tried changed, each `.git` looked for is still there or absent, and git
    names the same core.excludesFile."""
    if any(path_kind(named[0]) != tuple(named) for named in args):
        return False
    for path, sig in dirs.items():
        if signature(path) != sig:
            return False
    for path, sig in probes.items():
        if signature(path, True) != sig:
            return False
    for path, there in exists.items():
        if os.path.lexists(path) != there:
            return False
    if excludes_files:
        from codemod.files.gitconfig import global_excludes_file
        for root, named in excludes_files.items():
            if global_excludes_file(root) != named:
                return False
    return True


def tool_files() -> list:
    """[(path, signature)] of the tool's own files (its modules and query
    files) and of the folders holding them: an edited checkout, or an
    editable install whose code changed under the same version number, is
    another build (a module added or removed changes its folder's)."""
    import codemod
    package = os.path.dirname(os.path.abspath(codemod.__file__))
    # The query files: inside the package in a wheel, beside it in a checkout.
    beside = os.path.join(os.path.dirname(package), "grammars")
    out: list = []
    for folder in [package] + ([beside] if os.path.isdir(beside) else []):
        _tool_folder(folder, out)
    return out


def _tool_folder(folder: str, out: list) -> None:
    out.append((folder, signature(folder)))
    with os.scandir(folder) as it:
        entries = sorted(it, key=lambda e: e.name)
    for entry in entries:
        if entry.is_dir(follow_symlinks=False):
            if entry.name != "__pycache__":
                _tool_folder(entry.path, out)
        elif entry.name.endswith((".py", ".scm")):
            out.append((entry.path, signature(entry.path)))
