"""A walk remembered, as git's untracked cache remembers one: a re-run
whose folders and ignore files are unchanged finds the files the recorded
walk found, without listing a folder or matching an ignore pattern.

A folder's stat changes when an entry is added to it, removed or renamed
(a file replaced by a folder, a new `.gitignore`); the walk's answer
depends on nothing else but the ignore files' contents (stat'ed too, those
above the walked folders as well), whether the folders above hold a
`.git` (their own stat would change with every file made beside the
tree), the core.excludesFile git names (asked again: one `git config`), the
kinds of the paths named on the command line, and the run's options (in
the cache key).  A folder or ignore file changed less than two seconds
before the walk started may change again within its clock tick: the walk
is then not recorded, and the next run walks.
"""
from __future__ import annotations

import os
from typing import NamedTuple, Optional

from codemod.files.walk import Missing, WalkLog, global_excludes_file

_ABSENT = ()          # the signature recorded for an ignore file that does not exist


class WalkRecord(NamedTuple):
    """The items a walk yielded and what they depended on."""

    items: list             # Folder and Target values, in walk order
    args: tuple             # (path argument, its kind, its real path)
    dirs: dict              # folder -> signature
    probes: dict            # ignore file tried -> signature, or () when absent
    exists: dict            # `.git` looked for above the walk -> whether it exists
    excludes_files: dict    # repository root -> core.excludesFile


def _kind(arg: str) -> tuple:
    if os.path.isdir(arg) and not os.path.islink(arg):
        kind = "dir"
    elif os.path.isfile(arg):
        kind = "file"
    else:
        kind = "other" if os.path.lexists(arg) else "none"
    return arg, kind, os.path.realpath(arg)


def _signature(path: str, missing_ok: bool):
    try:
        st = os.stat(path, follow_symlinks=False)
    except FileNotFoundError:
        return _ABSENT if missing_ok else None
    except OSError:
        return None
    return st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino


def record(paths: list, items: list, log: WalkLog, started: int) -> Optional[WalkRecord]:
    """The record of a walk that yielded ``items`` having looked at what
    ``log`` holds, or None when it cannot be trusted next time (a path
    missing, a folder or ignore file changed within two seconds of
    ``started``, in nanoseconds since the epoch)."""
    if any(isinstance(i, Missing) for i in items):
        return None
    recent = started - 2_000_000_000
    dirs, probes = {}, {}
    for path in log.dirs:
        sig = _signature(path, False)
        if sig is None or sig[1] >= recent:
            return None
        dirs[path] = sig
    for path in log.probes:
        sig = _signature(path, True)
        if sig is None or (sig and sig[1] >= recent):
            return None
        probes[path] = sig
    exists = {path: os.path.lexists(path) for path in log.exists}
    return WalkRecord(list(items), tuple(_kind(p) for p in paths), dirs, probes, exists,
                      dict(log.excludes_files))


def replay(rec: Optional[WalkRecord], paths: list) -> Optional[list]:
    """The recorded items when a walk of ``paths`` now would yield them,
    else None."""
    if rec is None or tuple(_kind(p) for p in paths) != rec.args:
        return None
    for path, sig in rec.dirs.items():
        if _signature(path, False) != sig:
            return None
    for path, sig in rec.probes.items():
        if _signature(path, True) != sig:
            return None
    for path, there in rec.exists.items():
        if os.path.lexists(path) != there:
            return None
    for root, named in rec.excludes_files.items():
        if global_excludes_file(root) != named:
            return None
    return rec.items
