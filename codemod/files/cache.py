"""The persistent cache of `scan` and `diff`: a re-run over an unchanged
tree is a walk and a stat of each file, as `git status` is.

One entry per (tool version, command, paths, options, working folder): the
walk's files with their stat (size, mtime_ns, ctime_ns, inode), and what
the run reported (results, errors, the project index's knowledge).  A
re-run walks the tree and stats every file again, then

* when nothing differs, reports the entry: byte for byte what the run it
  records reported;
* when files differ (changed, added, removed), first sets aside those
  whose bytes are the recorded ones (for the files whose change matters, a
  digest is recorded), then keeps the entry only if none
  of them can change a finding: not a file with a result, not one the
  project index read unless what it learns of it now is what it learned
  then (definitions and their lines, file-scope variables), not a header with an `#include "..."` (it decides which
  headers a file sees), holding neither vfork nor an alias, nor any word
  of a wrapper, a redirect or the headers redirects are reached through,
  and defining none of the names the index looked up (as the index reads
  definitions: `#define name`, or `name(` on a line starting in column 0;
  a call of a helper changes nothing).  Otherwise the tree is analysed
  again and the entry replaced.

Entries are written whole to a temporary file and renamed over the old one
(two runs sharing the folder never see a torn entry); one that cannot be
read (corrupt, another version's) is ignored and rewritten.  The folder has
its own `.gitignore` (`*`).
"""
from __future__ import annotations

import functools
import hashlib
import io
import os
import pickle
import re
from typing import NamedTuple, Optional

from codemod.files.replay import DIRECTORY  # noqa: F401 - the folder's name, read here by codemod.cli
from codemod.files.stamps import digest_of, signature, tool_files

FORMAT = 2                  # bump when what an entry holds changes
_INCLUDE = re.compile(rb'(?m)^[ \t]*#[ \t]*include[ \t]*"')
_WORD = re.compile(rb"[A-Za-z_][A-Za-z0-9_]*")


class Head(NamedTuple):
    """What a run over an unchanged tree reports, and what tells whether
    the tree is unchanged: the first of an entry's two pickles, the only
    one a hit (or a run whose changed files kept their bytes) unpickles."""

    stats: dict             # path walked -> (size, mtime_ns, ctime_ns, inode); None: unknown, read it
    results: list           # FileResult values, as the run kept them
    missing: list
    files: int
    memo: dict              # what the reports made from the run (the index's summary)
    walk: object            # a walkrecord.WalkRecord, or None: walk again
    digests: dict           # path -> digest of its bytes, for those in ``analysed`` and ``read``


class Entry(NamedTuple):
    """One recorded run: the :class:`Head`'s fields, then what deciding
    about a changed tree needs (mostly the project index's knowledge)."""

    stats: dict
    results: list
    missing: list
    files: int
    memo: dict
    walk: object
    digests: dict
    project: object         # (language, knowledge, searches, reads) or None
    words: frozenset        # words whose appearance in a changed file invalidates the entry (wrappers, redirects)
    defined: frozenset      # names whose definition in a changed file invalidates it (those the index looked up)
    read: frozenset         # paths whose change invalidates it (results, files the index read)
    facts: dict             # path -> what the index learned of it (a file it parsed whole)
    analysed: frozenset     # paths with a result: a change means analysing again


HEAD = len(Head._fields)
assert Entry._fields[:HEAD] == Head._fields


def key(parts: tuple) -> str:
    """The entry's file name for a run described by ``parts``."""
    from codemod import __version__
    return hashlib.sha256(repr((FORMAT, __version__, build()) + parts).encode(
        "utf-8", "surrogateescape")).hexdigest()[:32]


@functools.lru_cache(maxsize=1)
def build() -> tuple:
    """The tool's own files (codemod.files.stamps.tool_files): an edited
    checkout or an editable install whose code changed under the same
    version number gets entries of its own, not another build's findings."""
    return tuple(tool_files())


class Cache:
    """The cache folder of one run (``folder`` None: the cache is off)."""

    def __init__(self, folder: Optional[str], parts: tuple):
        self.folder = folder
        self.name = key(parts)
        self.outcome = "off" if folder is None else "miss"   # for --explain and the tests: hit, kept, miss
        self._stream: Optional[io.BytesIO] = None
        self._head: Optional[Head] = None
        self._rest_at = 0
        self._entry: Optional[Entry] = None
        self.seen: Optional[tuple] = None   # (stats, walk record) of this run's walk, once checked against the entry
        self.digests: dict = {}             # path -> digest, as the entry read or written last holds them

    def head(self) -> Optional[Head]:
        """The entry's head, or None (no entry, or one that cannot be
        read: corrupt, another version's)."""
        if self.folder is None:
            return None
        if self._stream is None:
            try:
                with open(os.path.join(self.folder, self.name), "rb") as fh:
                    self._stream = io.BytesIO(fh.read())
                head = pickle.load(self._stream)
                self._rest_at = self._stream.tell()
            except Exception:  # noqa: BLE001 - a missing, corrupt or foreign entry is ignored, then rewritten
                head = None
            self._head = Head(*head) if isinstance(head, tuple) and len(head) == HEAD else None
            if self._head is not None:
                self.digests = self._head.digests
        return self._head

    def load(self) -> Optional[Entry]:
        """The whole entry, or None."""
        head = self.head()
        if head is None:
            return None
        if self._entry is None:
            try:
                self._stream.seek(self._rest_at)
                rest = pickle.load(self._stream)
            except Exception:  # noqa: BLE001 - as in head()
                return None
            if not isinstance(rest, tuple) or len(rest) != len(Entry._fields) - HEAD:
                return None
            self._entry = Entry(*head, *rest)
        return self._entry

    def store_head(self, head: Head) -> None:
        """Replace the entry's head, keeping the rest as read (not
        unpickled again)."""
        if self._stream is None or self._head is None:
            return
        data = pickle.dumps(tuple(head), protocol=pickle.HIGHEST_PROTOCOL) + self._stream.getvalue()[self._rest_at:]
        self._head = head
        self._put(data)

    def store(self, entry: Entry) -> None:
        """Write ``entry`` whole, atomically; a cache that cannot be written
        is left alone (the run's output does not depend on it)."""
        if self.folder is None:
            return
        self.digests = {}
        try:
            data = encode(entry)
        except (pickle.PicklingError, TypeError, AttributeError, RecursionError):
            return
        self.digests = entry.digests
        self._put(data)

    def put(self, name: str, data: bytes) -> None:
        """Write the file ``name`` of the cache folder (a replay record,
        codemod.files.replay) whole, atomically; left alone when it cannot
        be written."""
        if self.folder is not None:
            self._put(data, name)

    def _put(self, data: bytes, name: Optional[str] = None) -> None:
        try:
            os.makedirs(self.folder, exist_ok=True)
            ignore = os.path.join(self.folder, ".gitignore")
            if not os.path.exists(ignore):
                _write(self.folder, ".gitignore", b"# made by vfork-codemod: its cache, never committed\n*\n")
            _write(self.folder, name or self.name, data)
        except OSError:
            pass


def encode(entry: Entry) -> bytes:
    """The bytes of a stored entry: its head, then the rest."""
    return pickle.dumps(tuple(entry[:HEAD]), protocol=pickle.HIGHEST_PROTOCOL) + \
        pickle.dumps(tuple(entry[HEAD:]), protocol=pickle.HIGHEST_PROTOCOL)


def decode(data: bytes) -> Entry:
    """The entry ``data`` holds (ValueError when it holds none)."""
    stream = io.BytesIO(data)
    try:
        entry = Entry(*pickle.load(stream), *pickle.load(stream))
    except Exception as e:  # noqa: BLE001
        raise ValueError(f"not a cache entry: {e}") from None
    return entry


def _write(folder: str, name: str, data: bytes) -> None:
    import tempfile
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, os.path.join(folder, name))
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def digests(paths, stats: dict) -> dict:
    """Path -> digest for those of ``paths`` still as ``stats`` recorded
    them before the run read them (a file changed since is left out: the
    run may have read either version)."""
    out = {}
    for path in paths:
        known = stats.get(path)
        if known is None or signature(path) != known:
            continue
        d = digest_of(path)
        if d is not None and signature(path) == known:
            out[path] = d
    return out


def changed_files(head, stats: dict) -> set:
    """The paths of ``stats`` (a walk's now) or of ``head.stats`` that
    differ between the two, less those whose bytes are the recorded ones
    (touched, checked out again, rewritten whole by a build step).  A file
    recorded as unknown (changed just before the run recorded it) counts as
    changed unless its digest says otherwise."""
    changed = {p for p in stats.keys() | head.stats.keys()
               if stats.get(p) != head.stats.get(p) or head.stats.get(p) is None}
    return changed - {p for p in changed & head.digests.keys()
                      if p in stats and digest_of(p) == head.digests[p]}


def still_valid(entry: Entry, stats: dict, needles: tuple, definable, learn) -> bool:
    """Whether ``entry`` reports exactly what a run over files with
    ``stats`` would (see the module's docstring); ``definable(data)`` is
    the set of names a file's text may define, as the project index reads
    it, and ``learn(data, path shown)`` what the index learns of a file
    (compared with ``entry.facts``)."""
    changed = changed_files(entry, stats)
    if not changed:
        return True
    if changed & entry.analysed:
        return False
    if any(p in entry.read and p not in entry.facts for p in changed):
        return False
    words = entry.words
    for path in changed:
        if path not in stats:
            if path in entry.read:
                return False         # what the index learned of it is gone
            continue                 # removed, and it held nothing that mattered
        try:
            with open(path, "rb") as fh:
                data = fh.read()
        except OSError:
            return False
        if any(n in data for n in needles):
            return False
        if path.endswith(".h") and _INCLUDE.search(data):
            return False
        if words and not words.isdisjoint(_WORD.findall(data)):
            return False
        known = entry.facts.get(path)
        if known is not None:
            # Read by the index: what it learns of the file now must be what
            # it learned then (definitions, their lines, globals, includes).
            if learn(data, known.path) != known:
                return False
        elif entry.defined and not entry.defined.isdisjoint(definable(data)):
            return False
    return True
