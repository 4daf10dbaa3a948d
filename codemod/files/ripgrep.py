"""ripgrep as the walk and the first filter, when it is installed.

ripgrep lists and searches a tree several times faster than Python walks
it (and faster than grep: it reads with several threads).  Two of its
processes start as soon as the run's needles are known: `rg --files` per
folder argument, which lists every regular file with a handled extension
(and the temporary files an interrupted run may have left), and one
`rg -l` that says which of them mention a needle.  Both run without
ripgrep's own ignore rules: the tool's rules (.gitignore as git reads it,
exclude patterns, extensions, symbolic links never followed) still decide
what counts, applied to the listing by :func:`codemod.files.walk.listed_dirs`
exactly as the Python walk applies them.  Ignored folders cost ripgrep some
reading, never a wrong answer.

Where ripgrep reports a problem (a folder or file it cannot read), that
folder argument is walked by Python, and the files of a failed search are
read by the Python prefilter, which names the file.  Without ripgrep the
tool uses grep (codemod.files.grepfilter), and without grep, Python.

The ripgrep used is, in order: $VFORK_CODEMOD_RG (a path; `none` turns
ripgrep off), the `rg` installed next to this Python (the `fast` extra,
`pip install 'vfork-codemod[fast]'`, brings it), the `rg` on PATH.
"""
from __future__ import annotations

import functools
import os
import subprocess
import sys
from typing import Iterator, Optional

from codemod.files import grepfilter
from codemod.files.atomic import TEMP_PREFIX
from codemod.files.walk import LANGUAGES, SKIP_DIRS, Folder, Listed, listed_dirs, walk_dirs

MINIMUM = (11, 0)
# No configuration file, no ignore files of ripgrep's own, hidden files too;
# the handled extensions and the temporary files; never version-control folders.
COMMON = ("--no-config", "--no-ignore", "--hidden", "--no-messages",
          *(f"--glob=*{ext}" for ext in LANGUAGES), f"--glob={TEMP_PREFIX}*",
          *(f"--glob=!{name}" for name in sorted(SKIP_DIRS)))


@functools.lru_cache(maxsize=1)
def rg_command() -> Optional[str]:
    """The ripgrep binary to use, or None (see the module's docstring)."""
    chosen = os.environ.get("VFORK_CODEMOD_RG")
    if chosen is not None:
        return None if chosen.strip().lower() in ("", "none") else (chosen if _usable(chosen) else None)
    beside = os.path.join(os.path.dirname(sys.executable), "rg")
    for candidate in (beside, grepfilter.which("rg")):
        if candidate and os.access(candidate, os.X_OK) and _usable(candidate):
            return candidate
    return None


def _usable(rg: str) -> bool:
    try:
        proc = subprocess.run([rg, "--version"], capture_output=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return False
    words = proc.stdout.split()
    if proc.returncode != 0 or len(words) < 2 or words[0] != b"ripgrep":
        return False
    try:
        version = tuple(int(x) for x in words[1].split(b".")[:2])
    except ValueError:
        return False
    return version >= MINIMUM


class Ripgrep(grepfilter.Reporters):
    """`rg -l` over the given paths (the filter, read as :class:`Reporters`
    are), and `rg --files` per folder argument (the walk, see :meth:`walk`)."""

    def __init__(self, paths: list, needles: tuple, jobs: int):
        rg = rg_command()
        self._single = len(paths) == 1            # several: the walk drops files reached twice
        self._listings: dict = {}
        for arg in paths:
            top = os.path.normpath(arg)
            if top not in self._listings and os.path.isdir(arg) and not os.path.islink(arg):
                self._listings[top] = subprocess.Popen(
                    [rg, "--files", "--null", *COMMON, "--glob=.gitignore", "--", os.path.abspath(top)],
                    stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
        listed = [os.path.abspath(top) for top in self._listings] + [
            grepfilter.spelled(arg) for arg in paths if os.path.isfile(arg)]
        search = [rg, "--files-with-matches", "--null", "--line-buffered", "--text", "--encoding=none", "--fixed-strings",
                  f"--threads={max(1, jobs)}", *COMMON, "--file=-", "--", *listed]
        super().__init__([(search, listed)] if listed else [], grepfilter.patterns(needles))

    def walk(self, top: str, ignore, stale: Optional[list] = None) -> Iterator[Folder]:
        """:func:`codemod.files.walk.walk_dirs` for ``top``, from ripgrep's
        listing; the Python walk when ripgrep could not list it."""
        proc = self._listings.pop(top, None)
        if proc is None:
            yield from walk_dirs(top, ignore, stale)
            return
        data = proc.stdout.read()
        proc.stdout.close()
        if proc.wait() not in (0, 1):
            yield from walk_dirs(top, ignore, stale)
            return
        if self._single and _no_rules(top, data, ignore):
            yield Listed(top, data, stale)
            return
        yield from listed_dirs(top, [os.fsdecode(p) for p in data.split(b"\0") if p], ignore, stale)

    def stop(self) -> None:
        """Kill what still runs and release the pipes (again: no-op)."""
        for proc in self._listings.values():
            if proc.poll() is None:
                proc.kill()
            proc.stdout.close()
            proc.wait()
        self._listings.clear()
        super().stop()


def _no_rules(top: str, data: bytes, ignore) -> bool:
    """No ignore rule can apply to a file under ``top``: no exclude pattern,
    no rules above it (repository, global), no .gitignore in the listing."""
    if ignore.excludes:
        return False
    if not ignore.gitignore:
        return True
    absolute = os.path.abspath(top)
    return (b"/.gitignore\0" not in data and not ignore.rules_above(absolute + "/x")
            and ignore.rules_in(absolute) is None)
