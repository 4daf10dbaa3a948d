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

from codemod.files.stamps import RECENT_NS, path_kind, signature, walk_unchanged
from codemod.files.walk import Missing, WalkLog


class WalkRecord(NamedTuple):
    """The items a walk yielded and what they depended on."""

    items: list             # Folder and Target values, in walk order
    args: tuple             # (path argument, its kind, its real path)
    dirs: dict              # folder -> signature
    probes: dict            # ignore file tried -> signature, or () when absent
    exists: dict            # `.git` looked for above the walk -> whether it exists
    excludes_files: dict    # repository root -> core.excludesFile


def record(paths: list, items: list, log: WalkLog, started: int) -> Optional[WalkRecord]:
    """The record of a walk that yielded ``items`` having looked at what
    ``log`` holds, or None when it cannot be trusted next time (a path
    missing, a folder or ignore file changed within two seconds of
    ``started``, in nanoseconds since the epoch)."""
    if any(isinstance(i, Missing) for i in items):
        return None
    recent = started - RECENT_NS
    dirs, probes = {}, {}
    for path in log.dirs:
        sig = signature(path)
        if sig is None or sig[1] >= recent:
            return None
        dirs[path] = sig
    for path in log.probes:
        sig = signature(path, True)
        if sig is None or (sig and sig[1] >= recent):
            return None
        probes[path] = sig
    exists = {path: os.path.lexists(path) for path in log.exists}
    return WalkRecord(list(items), tuple(path_kind(p) for p in paths), dirs, probes, exists,
                      dict(log.excludes_files))


def replay(rec: Optional[WalkRecord], paths: list) -> Optional[list]:
    """The recorded items when a walk of ``paths`` now would yield them,
    else None."""
    if rec is None or tuple(a[0] for a in rec.args) != tuple(paths) or \
            not walk_unchanged(rec.args, rec.dirs, rec.probes, rec.exists, rec.excludes_files):
        return None
    return rec.items
