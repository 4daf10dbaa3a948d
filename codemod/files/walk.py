"""Fast, sorted directory walks that honour .gitignore files and exclude patterns.

Trees of tens of thousands of files are walked with os.scandir, carrying
path strings (no pathlib on the hot path) and, per folder, the list of
ignore rules in force.  Rules are only evaluated when a folder has any.
"""
from __future__ import annotations

import operator
import os
from typing import Iterator, NamedTuple, Optional

from codemod.engines.base import extensions
from codemod.files.atomic import TEMP_PREFIX, stale_owner
from codemod.files.gitconfig import global_excludes_file

LANGUAGES = extensions()      # ".c" -> "c", from the engine registry
_NAME = operator.attrgetter("name")
SKIP_DIRS = frozenset({".git", ".hg", ".svn"})


class Target(NamedTuple):
    """A file to process: its path on disk and the path shown to the user."""

    path: str
    display: str
    language: Optional[str]

    walked = 1                 # the files it stands for, as Folder.walked and Listed.walked


class Missing(NamedTuple):
    """A path that cannot be used, and why."""

    display: str
    reason: str


class WalkLog:
    """What a walk looked at, for the cache (codemod.files.walkrecord) to
    tell later whether a walk would find the same files: every folder it
    listed, every ignore file it tried to read, every `.git` it looked for
    above the walked folders, and the core.excludesFile git named."""

    def __init__(self):
        self.dirs: list = []
        self.probes: list = []
        self.exists: list = []
        self.excludes_files: dict = {}


class Folder(NamedTuple):
    """The handled files of one walked folder."""

    base: str              # real path of the folder, ending in "/"
    prefix: str            # the folder as shown to the user ("" or ending in "/")
    files: list            # [(name, language)]

    @property
    def walked(self) -> int:
        """The files it stands for (not ``count``: that is tuple's)."""
        return len(self.files)


class Stale(NamedTuple):
    """A temporary file an interrupted run left behind."""

    path: str
    display: str
    pid: int


def language_of(name: str) -> Optional[str]:
    """The language of a file named on the command line, by its extension."""
    dot = name.rfind(".")
    return LANGUAGES.get(name[dot:]) if dot >= 0 else None


def handled_language(name: str) -> Optional[str]:
    """The language of a file met while walking (`x.c`, not a bare `.c`)."""
    dot = name.rfind(".")
    return LANGUAGES.get(name[dot:]) if dot > 0 else None


class Rules:
    """gitignore-style patterns anchored at folder ``base`` (an absolute
    path), read and matched as git does (:mod:`codemod.files.gitignore`)."""

    def __init__(self, base: str, lines: list):
        from codemod.files.gitignore import PatternList
        self.base = base.rstrip("/")
        self.patterns = PatternList(lines)

    def verdict(self, abspath: str, is_dir: bool) -> Optional[bool]:
        """True ignored, False re-included (`!pattern`), None no rule applies."""
        if abspath.startswith(self.base + "/"):
            return self.patterns.verdict(abspath[len(self.base) + 1:], is_dir)
        # Outside the base only patterns without a slash can apply.
        return self.patterns.verdict(abspath.rsplit("/", 1)[-1], is_dir, basename_only=True)


class Ignore:
    """Decides which walked files to leave out: .gitignore files (in the
    walked folders and above them, up to the repository root) and exclude
    patterns.  Paths named on the command line are left out only with
    ``force`` (--force-exclude), and then by the exclude patterns alone."""

    def __init__(self, excludes: list = (), gitignore: bool = True, force: bool = False):
        """``excludes``: (folder, patterns) pairs; patterns are relative to their folder."""
        from codemod.files.gitignore import read_lines
        self.excludes = [Rules(os.path.abspath(str(folder)), read_lines("\n".join(patterns).encode(
                                   "utf-8", "surrogateescape")))
                         for folder, patterns in excludes if patterns]
        self.gitignore = gitignore
        self.force = force
        self.log: Optional[WalkLog] = None      # set by the cache: what the walk looked at

    def _probed(self, path: str) -> None:
        if self.log is not None:
            self.log.probes.append(path)

    def excluded(self, path: str) -> bool:
        """An exclude pattern matches ``path`` or one of the folders it is in."""
        abspath = os.path.abspath(path)
        for rules in self.excludes:
            if not abspath.startswith(rules.base + "/"):
                if rules.verdict(abspath, False):
                    return True
                continue
            parts = abspath[len(rules.base) + 1:].split("/")
            for i in range(1, len(parts)):
                if rules.verdict(rules.base + "/" + "/".join(parts[:i]), True):
                    return True
            if rules.verdict(abspath, False):
                return True
        return False

    def rules_above(self, top: str) -> list:
        """.gitignore rules of the folders above ``top``, up to the repository root."""
        if not self.gitignore:
            return []
        chain = []
        folder = os.path.dirname(os.path.abspath(top))
        while True:
            if self.log is not None:
                self.log.exists.append(os.path.join(folder, ".git"))
            rules = self.rules_in(folder)
            if rules is not None:
                chain.append(rules)
            if os.path.exists(os.path.join(folder, ".git")):
                # Lowest first, as git reads them: core.excludesFile, then
                # .git/info/exclude, then the .gitignore files.
                return self.repository_rules(folder) + list(reversed(chain))
            parent = os.path.dirname(folder)
            if parent == folder:
                return []      # not in a repository: only the walked folders count
            folder = parent

    def repository_rules(self, root: str) -> list:
        """The user's core.excludesFile and the repository's .git/info/exclude,
        anchored at the work tree ``root``."""
        from codemod.files.gitignore import read_lines
        out = []
        excludes = global_excludes_file(root)
        if self.log is not None:
            self.log.excludes_files[root] = excludes
        for path in (excludes, os.path.join(root, ".git", "info", "exclude")):
            if path is None:
                continue
            self._probed(path)
            try:
                with open(path, "rb") as fh:
                    out.append(Rules(root, read_lines(fh.read())))
            except OSError:
                continue
        return out

    def rules_in(self, folder: str) -> Optional[Rules]:
        """The rules of ``folder``/.gitignore, if it has one."""
        if not self.gitignore:
            return None
        from codemod.files.gitignore import read_lines
        path = os.path.join(folder, ".gitignore")
        self._probed(path)
        try:
            with open(path, "rb") as fh:
                return Rules(folder, read_lines(fh.read()))
        except OSError:
            return None

    def ignored(self, abspath: str, is_dir: bool, chain: list) -> bool:
        if any(rules.verdict(abspath, is_dir) for rules in self.excludes):
            return True
        result = None
        for rules in chain:           # deeper .gitignore files override
            v = rules.verdict(abspath, is_dir)
            if v is not None:
                result = v
        return bool(result)


def walk_dirs(top: str, ignore: Ignore, stale: Optional[list] = None) -> Iterator[Folder]:
    """A :class:`Folder` per folder under ``top`` (depth first, names sorted,
    symbolic links not followed) with the files an engine handles.  Grouping
    by folder keeps per-file work (and what crosses to worker processes)
    small.  Temporary files a killed run left behind are added to ``stale``."""
    absolute = os.path.abspath(top)
    stack = [("" if top == "." else top, absolute, ignore.rules_above(absolute + "/x"))]
    check = bool(ignore.excludes)
    log = ignore.log
    while stack:
        display, real, chain = stack.pop()
        if log is not None:
            log.dirs.append(real)
        try:
            with os.scandir(real) as it:
                entries = sorted(it, key=_NAME)
        except OSError:
            continue
        if ignore.gitignore:
            rules = ignore.rules_in(real)
            if rules is not None:
                chain = chain + [rules]
        filter_paths = check or bool(chain)
        subdirs, files = [], []
        prefix = display + "/" if display else ""
        base = real.rstrip("/") + "/"
        for e in entries:
            name = e.name
            # handled_language(), inlined: this loop runs once per file of the tree.
            dot = name.rfind(".")
            lang = LANGUAGES.get(name[dot:]) if dot > 0 else None
            try:
                if lang is not None and e.is_file(follow_symlinks=False):
                    if not (filter_paths and ignore.ignored(base + name, False, chain)):
                        files.append((name, lang))
                elif name.startswith(TEMP_PREFIX):
                    # Never walked: temporary files, and the cache folder
                    # (.vfork-codemod-cache, whose stat changes with each run).
                    pid = stale_owner(name) if stale is not None else None
                    if pid is not None and e.is_file(follow_symlinks=False):
                        stale.append(Stale(base + name, prefix + name, pid))
                elif e.is_dir(follow_symlinks=False):
                    if name not in SKIP_DIRS and not (filter_paths and ignore.ignored(base + name, True, chain)):
                        subdirs.append((prefix + name, base + name, chain))
                # anything else: other files, symbolic links, FIFOs, sockets, devices
            except OSError:
                continue
        if files:
            yield Folder(base, prefix, files)
        stack.extend(reversed(subdirs))


def listed_dirs(top: str, listing: list, ignore: Ignore, stale: Optional[list] = None) -> Iterator[Folder]:
    """What :func:`walk_dirs` yields for ``top``, made from ``listing``: the
    paths of the regular files under it (absolute, from ripgrep's `--files`
    with no ignore rules: every handled file and temporary file, symbolic
    links not followed, version-control folders left out), in any order.
    The ignore rules, extensions and walk order are applied here exactly as
    the walk applies them."""
    absolute = os.path.abspath(top)
    cut = len(absolute.rstrip("/")) + 1
    by_folder: dict = {}
    for path in listing:
        folder, _, name = path[cut:].rpartition("/")
        by_folder.setdefault(folder, []).append(name)
    shown = "" if top == "." else top
    check = bool(ignore.excludes)
    top_chain = ignore.rules_above(absolute + "/x")
    rules = ignore.rules_in(absolute)
    chains: dict = {"": top_chain + [rules] if rules is not None else top_chain}
    for folder in sorted(by_folder, key=lambda f: f.split("/") if f else []):
        chain = _chain_of(folder, absolute, chains, ignore, check)
        if chain is None:
            continue                      # the folder or one above it is ignored
        base = absolute.rstrip("/") + "/" + (folder + "/" if folder else "")
        prefix = "/".join(p for p in (shown, folder) if p)
        prefix = prefix + "/" if prefix else ""
        filter_paths = check or bool(chain)
        files = []
        for name in sorted(by_folder[folder]):
            dot = name.rfind(".")
            lang = LANGUAGES.get(name[dot:]) if dot > 0 else None
            if lang is not None:
                if not (filter_paths and ignore.ignored(base + name, False, chain)):
                    files.append((name, lang))
            elif stale is not None and name.startswith(TEMP_PREFIX):
                pid = stale_owner(name)
                if pid is not None:
                    stale.append(Stale(base + name, prefix + name, pid))
        if files:
            yield Folder(base, prefix, files)


class Listed:
    """The handled files of a folder argument, from ripgrep's listing, when
    no ignore rule can apply anywhere in it (no .gitignore in it or above
    it, no repository or global excludes, no exclude patterns): counted and
    looked up without a :class:`Folder` per folder."""

    def __init__(self, top: str, data: bytes, stale: Optional[list]):
        self.top = top
        self.absolute = os.path.abspath(top)
        self._cut = len(self.absolute.rstrip("/")) + 1
        self._shown = "" if top == "." else top
        self._data = data
        count = data.count(b"\0") - data.count(b"/.gitignore\0")      # listed to see whether rules apply
        for ext in LANGUAGES:                      # a bare `.c` is not a C file
            count -= data.count(b"/" + ext.encode() + b"\0")
        found = []
        marker = b"/" + TEMP_PREFIX.encode()
        i = data.find(marker)
        while i >= 0:
            name = os.fsdecode(data[i + 1:data.index(b"\0", i)])
            if handled_language(name) is None:
                count -= 1
                pid = stale_owner(name) if stale is not None else None
                if pid is not None:
                    path = os.fsdecode(data[data.rfind(b"\0", 0, i) + 1:i]) + "/" + name
                    found.append((self.key(path), Stale(path, self._display(path), pid)))
            i = data.find(marker, i + 1)
        if stale is not None:
            stale.extend(s for _, s in sorted(found))
        self.count = count

    @property
    def walked(self) -> int:
        return self.count

    def key(self, path: str) -> tuple:
        """``path``'s place in walk order (folders depth first, names sorted,
        a folder's files before its subfolders)."""
        folder, _, name = path[self._cut:].rpartition("/")
        return (tuple(folder.split("/")) if folder else (), name)

    def _display(self, path: str) -> str:
        return (self._shown + "/" if self._shown else "") + path[self._cut:]

    def lookup(self, path: str) -> Optional[tuple]:
        """(key, path shown, language) of a listed file, or None."""
        if not path.startswith(self.absolute.rstrip("/") + "/"):
            return None
        language = handled_language(path.rpartition("/")[2])
        return None if language is None else (self.key(path), self._display(path), language)

    def folders(self, ignore: Ignore) -> Iterator[Folder]:
        """The same files as :class:`Folder` groups, in walk order."""
        return listed_dirs(self.top, [os.fsdecode(p) for p in self._data.split(b"\0") if p], ignore)


def _chain_of(folder: str, absolute: str, chains: dict, ignore: Ignore, check: bool) -> Optional[list]:
    """The ignore rules in force inside ``folder`` (relative to the walked
    ``absolute``), or None when the walk would not enter it; memoised in
    ``chains``, resolved from the nearest known folder down."""
    todo = []
    while folder not in chains:
        todo.append(folder)
        folder = folder.rpartition("/")[0]
    chain = chains[folder]
    for folder in reversed(todo):
        if chain is not None:
            real = absolute.rstrip("/") + "/" + folder
            if folder.rpartition("/")[2] in SKIP_DIRS or (
                    (check or chain) and ignore.ignored(real, True, chain)):
                chain = None
            elif ignore.gitignore:
                rules = ignore.rules_in(real)
                if rules is not None:
                    chain = chain + [rules]
        chains[folder] = chain
    return chain


def discover_groups(paths: list, ignore: Optional[Ignore] = None, stale: Optional[list] = None,
                    walker=None) -> Iterator:
    """A :class:`Folder` per walked folder, a :class:`Target` per file named
    on the command line, a :class:`Missing` for a path that cannot be read.
    A file named twice (or reached from two arguments) comes once.
    ``walker(top, ignore, stale)`` walks a folder argument (default
    :func:`walk_dirs`; ripgrep's listing when it runs)."""
    ignore = ignore or Ignore()
    walker = walker or walk_dirs
    dedupe = len(paths) > 1
    seen: set = set()
    for arg in paths:
        if not os.path.lexists(arg):
            yield Missing(arg, "no such file or directory")
            continue
        if ignore.force and ignore.excluded(arg):
            continue
        if os.path.isdir(arg) and not os.path.islink(arg):
            for item in walker(os.path.normpath(arg), ignore, stale):
                if isinstance(item, Listed):      # only ever for a single path argument
                    yield item
                    continue
                base, prefix, files = item
                if dedupe:
                    kept = []
                    for name, lang in files:
                        key = os.path.realpath(base + name)
                        if key not in seen:
                            seen.add(key)
                            kept.append((name, lang))
                    files = kept
                if files:
                    yield Folder(base, prefix, files)
            continue
        key = os.path.realpath(arg)
        if key in seen:
            continue
        seen.add(key)
        if not os.path.isfile(arg):
            yield Missing(arg, "not a regular file")
            continue
        yield Target(arg, os.path.normpath(arg), language_of(os.path.basename(arg)))
