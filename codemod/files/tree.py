"""The files of one run, as the project index searches them.

The walk decides which files belong to the run; the index asks which of
them mention a name (a helper called in a child, a wrapper of vfork).  It
asks in rounds, many names at once, with the same fast filter as the
prefilter: the system grep over the walked paths when it is there (its
answers outside the walk are dropped), otherwise one read of each file.
Folders given with ``--include-dir`` are searched too, whole.
"""
from __future__ import annotations

import os
import re
import subprocess
from typing import Iterable, Optional

from codemod.files import grepfilter


def included_files(folders: tuple, extensions: tuple = (".c", ".h")) -> list:
    """The files with ``extensions`` under the ``--include-dir`` folders,
    as the index reads them (absolute paths, folders walked in name order)."""
    out = []
    for folder in folders:
        for base, dirs, names in os.walk(folder):
            dirs[:] = sorted(d for d in dirs if d not in grepfilter.SKIP_DIRS)
            out.extend(os.path.abspath(os.path.join(base, n)) for n in sorted(names) if n.endswith(extensions))
    return out


class Tree:
    """The walked files of one language (path on disk -> path shown), and
    the include folders searched with them."""

    def __init__(self, roots: list, extensions: tuple, include_dirs: tuple = (), walk=None):
        """``walk()`` walks the run's paths again, with the run's rules (the
        first walk keeps nothing: most runs never ask)."""
        self.roots = list(roots)
        self.extensions = extensions
        self.include_dirs = tuple(include_dirs)
        self._walk = walk
        self._walked: list = []     # (folder or "", prefix, names, named file) as the walk gave them
        self._files: Optional[dict] = None
        self._position: Optional[dict] = None
        self._included: Optional[dict] = None
        self.searches = 0           # rounds asked, for --explain and the benchmark
        self.reads = 0              # files the index parsed
        self.problems: list = []    # (path shown, why): files the index could not read

    def add_folder(self, base: str, prefix: str, names: list) -> None:
        """A walked folder's files (kept as given: most runs never ask)."""
        self._walked.append((base, prefix, names, None))

    def add_file(self, path: str, display: str) -> None:
        self._walked.append(("", "", (), (path, display)))

    @property
    def files(self) -> dict:
        """Path on disk (absolute) -> path shown, of the walked files with the extensions, in walk order."""
        if self._files is None:
            self._files, self._position = {}, {}
            if self._walk is not None:
                from codemod.files.walk import Folder, Target
                for item in self._walk():
                    if isinstance(item, Folder):
                        self.add_folder(item.base, item.prefix, item.files)
                    elif isinstance(item, Target) and item.language is not None:
                        self.add_file(item.path, item.display)
            for base, prefix, names, named in self._walked:
                pairs = [named] if named else [(base + n, prefix + n) for n, _ in names]
                for path, display in pairs:
                    self._position.setdefault(display, len(self._position))
                    if path.endswith(self.extensions):
                        self._files[os.path.abspath(path)] = display
        return self._files

    @property
    def position(self) -> dict:
        """Path shown -> place in walk order (files of every language)."""
        self.files
        return self._position

    def display(self, path: str) -> str:
        return self.files.get(path) or self.included().get(path) or path

    def included(self) -> dict:
        """Files under the include folders that the walk did not see."""
        if self._included is None:
            self._included = {}
            for folder in self.include_dirs:
                for base, dirs, names in os.walk(folder):
                    dirs[:] = sorted(d for d in dirs if d not in grepfilter.SKIP_DIRS)
                    for name in sorted(names):
                        if name.endswith(self.extensions):
                            path = os.path.abspath(os.path.join(base, name))
                            if path not in self.files:
                                self._included[path] = os.path.join(base, name)
        return self._included

    def search(self, names: Iterable[str]) -> list:
        """The files (paths on disk, walk order, then include folders) that
        mention any of ``names`` as a whole word, comments included."""
        return [path for path, _ in self.search_words(names)]

    def search_words(self, names: Iterable[str]) -> list:
        """[(path, the ``names`` it mentions)] for the files :meth:`search` finds."""
        names = sorted({n for n in names if n})
        if not names:
            return []
        self.searches += 1
        found = self._grep(names)
        if found is None:
            found = self._read(names)
        order = {p: i for i, p in enumerate(list(self.files) + list(self.included()))}
        return sorted(((p, frozenset(w)) for p, w in found.items() if p in order), key=lambda pw: order[pw[0]])

    def _grep(self, names: list) -> Optional[dict]:
        grep = grepfilter.grep_command()
        if grep is None:
            return None
        where = grepfilter.entries(self.roots, 1) + list(self.include_dirs)
        if not where:
            return {}
        try:
            # -o with -Z: each whole-word match as `path NUL word LF`; -a: files
            # with NUL bytes too (-l lists them; -o would only say "binary file matches").
            proc = subprocess.run([grep, "-rowHZFsa", "-D", "skip", *(f"--include=*{e}" for e in self.extensions),
                                   *grepfilter.EXCLUDE, "-f", "-", "--", *where],
                                  input="".join(n + "\n" for n in names).encode(), stdout=subprocess.PIPE,
                                  stderr=subprocess.DEVNULL, env=dict(os.environ, LC_ALL="C"))
        except OSError:
            return None
        if proc.returncode not in (0, 1):
            return None
        out: dict = {}
        data, pos = proc.stdout, 0
        while pos < len(data):
            nul = data.find(b"\0", pos)
            end = data.find(b"\n", nul + 1)
            if nul < 0 or end < 0:
                return None                 # not grep's -oZ output: read the files instead
            out.setdefault(os.path.abspath(os.fsdecode(data[pos:nul])), set()).add(data[nul + 1:end].decode())
            pos = end + 1
        return out

    def lines(self, ere: str, pattern: "re.Pattern", budget: int) -> Optional[list]:
        """[(path on disk, line)] of every line of the searched files that
        matches ``ere`` (grep -E; ``pattern``, a multi-line Python regex
        matching whole lines, when grep is missing), in walk order; None
        when they come to more than ``budget`` bytes."""
        self.searches += 1
        found = self._grep_lines(ere, budget)
        if found is None:
            found = self._read_lines(pattern, budget)
        if found is None:
            return None
        order = {p: i for i, p in enumerate(list(self.files) + list(self.included()))}
        kept = [(p, line) for p, line in found if p in order]
        kept.sort(key=lambda pl: order[pl[0]])          # stable: lines keep their order in a file
        return kept

    def _grep_lines(self, ere: str, budget: int) -> Optional[list]:
        grep = grepfilter.grep_command()
        if grep is None:
            return None
        where = grepfilter.entries(self.roots, 1) + list(self.include_dirs)
        if not where:
            return []
        try:
            proc = subprocess.Popen([grep, "-rHZsa", "-D", "skip", *(f"--include=*{e}" for e in self.extensions),
                                     *grepfilter.EXCLUDE, "-E", "-e", ere, "--", *where],
                                    stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                    env=dict(os.environ, LC_ALL="C"))
        except OSError:
            return None
        chunks, size = [], 0
        with proc:
            while True:
                chunk = proc.stdout.read(1 << 20)
                if not chunk:
                    break
                size += len(chunk)
                if size > budget:
                    proc.kill()
                    return None
                chunks.append(chunk)
        if proc.returncode not in (0, 1):
            return None
        data, out, pos, paths = b"".join(chunks), [], 0, {}
        while pos < len(data):
            nul = data.find(b"\0", pos)
            end = data.find(b"\n", nul + 1)
            if nul < 0 or end < 0:
                return None                 # not grep's -Z output: read the files instead
            raw = data[pos:nul]
            path = paths.get(raw)
            if path is None:
                path = paths[raw] = os.path.abspath(os.fsdecode(raw))
            out.append((path, data[nul + 1:end]))
            pos = end + 1
        return out

    def _read_lines(self, pattern: "re.Pattern", budget: int) -> Optional[list]:
        out, size = [], 0
        for path in list(self.files) + list(self.included()):
            try:
                with open(path, "rb") as fh:
                    data = fh.read()
            except OSError:
                continue
            for m in pattern.finditer(data):
                out.append((path, m.group(0)))
                size += len(m.group(0)) + len(path)
                if size > budget:
                    return None
        return out

    def _read(self, names: list) -> dict:
        words = [n.encode() for n in names]
        pattern = re.compile(rb"(?<![A-Za-z0-9_])(" + b"|".join(map(re.escape, words)) + rb")(?![A-Za-z0-9_])")
        out = {}
        for path in list(self.files) + list(self.included()):
            try:
                with open(path, "rb") as fh:
                    data = fh.read()
            except OSError:
                continue
            if any(w in data for w in words):
                found = {m.decode() for m in pattern.findall(data)}
                if found:
                    out[path] = found
        return out
