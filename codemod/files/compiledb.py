"""`--compile-commands FILE`: the JSON compilation database clang tools read
(CMake's `CMAKE_EXPORT_COMPILE_COMMANDS=ON`, `bear -- make`).

For each file it lists, the tool takes the `-D`, `-U` and `-I` flags (the
first two decide its `#if`s, see codemod.engines.c.frontend.preproc; the folders
of the third are read by the project index), and after a rewrite compiles
the file with its own command plus `-fsyntax-only`, before and after: a
rewrite that adds an error or a warning is withheld.
"""
from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
from collections import Counter
from typing import NamedTuple, Optional

from codemod.core.options import merge_macros


class CompileDBError(Exception):
    """The database cannot be used; the message names the file."""


class Entry(NamedTuple):
    """One file's compile command, as the database gives it."""

    directory: str
    arguments: tuple
    defines: tuple        # ((name, value), ...)
    undefines: tuple
    include_dirs: tuple


_DROP_WITH_VALUE = {"-o", "-MF", "-MT", "-MQ"}
_DROP = {"-c", "-MD", "-MMD", "-M", "-MM", "-MG", "-MP"}


def load(path: str) -> dict:
    """Absolute source path -> Entry."""
    try:
        with open(path, "rb") as fh:
            doc = json.loads(fh.read())
    except OSError as exc:
        raise CompileDBError(f"--compile-commands {path}: {exc.strerror}")
    except ValueError as exc:
        raise CompileDBError(f"--compile-commands {path}: not JSON ({exc})")
    if not isinstance(doc, list):
        raise CompileDBError(f"--compile-commands {path}: expected a list of entries")
    out: dict = {}
    for n, item in enumerate(doc):
        if not isinstance(item, dict) or "file" not in item or "directory" not in item \
                or not ("arguments" in item or "command" in item):
            raise CompileDBError(f"--compile-commands {path}: entry {n + 1} needs `directory`, `file` and "
                                 "`arguments` or `command`")
        args = item["arguments"] if "arguments" in item else shlex.split(item["command"])
        directory = item["directory"]
        source = os.path.normpath(os.path.join(directory, item["file"]))
        out[source] = _entry(directory, [str(a) for a in args])
    return out


def _entry(directory: str, args: list) -> Entry:
    defines, undefines, includes = [], [], []
    i = 1
    while i < len(args):
        a = args[i]
        for flag, bucket in (("-D", defines), ("-U", undefines), ("-I", includes)):
            if a == flag and i + 1 < len(args):
                bucket.append(args[i + 1])
                i += 1
                break
            if a.startswith(flag) and len(a) > 2:
                bucket.append(a[2:])
                break
        i += 1
    macros = merge_macros((defines, undefines))
    return Entry(directory, tuple(args), macros["defines"], macros["undefines"],
                 tuple(os.path.normpath(os.path.join(directory, d)) for d in includes))


def compiler_args(entry: Entry, source: str) -> Optional[list]:
    """The entry's command reading the source from stdin, checking syntax only."""
    args = list(entry.arguments)
    if not args:
        return None
    compiler = args[0] if shutil.which(args[0]) or os.path.isabs(args[0]) else shutil.which("cc")
    if compiler is None:
        return None
    out = [compiler]
    skip = False
    name = os.path.basename(source)
    for a in args[1:]:
        if skip:
            skip = False
            continue
        if a in _DROP_WITH_VALUE:
            skip = True
            continue
        joined_output = (a.startswith("-o") and len(a) > 2) or (a[:3] in ("-MF", "-MT", "-MQ") and len(a) > 3)
        if a in _DROP or joined_output:
            continue
        if os.path.basename(a) == name and os.path.normpath(os.path.join(entry.directory, a)) == source:
            continue
        out.append(a)
    return out + ["-fsyntax-only", "-iquote", os.path.dirname(source), "-x", "c", "-"]


_LOCATION = re.compile(r"^<stdin>:\d+(:\d+)?: ")


def diagnostics(entry: Entry, source: str, text: bytes) -> Optional[Counter]:
    """The errors and warnings the project's command reports for ``text``,
    without their positions; None when the compiler cannot be run."""
    args = compiler_args(entry, source)
    if args is None:
        return None
    try:
        proc = subprocess.run(args, input=text, capture_output=True, cwd=entry.directory, timeout=120)
    except (OSError, subprocess.SubprocessError):
        return None
    found = Counter()
    for ln in proc.stderr.decode("utf-8", "replace").splitlines():
        if _LOCATION.match(ln) and (" error: " in ln or " warning: " in ln):
            found[_LOCATION.sub("", ln)] += 1
    if proc.returncode != 0 and not any("error:" in k for k in found):
        found["error: the compiler failed"] += 1
    return found


def check(entry: Entry, source: str, before: bytes, after: bytes) -> Optional[str]:
    """Why the rewrite must be withheld (new diagnostics), or None; "" when
    the compiler could not be run (nothing was checked)."""
    old = diagnostics(entry, source, before)
    new = diagnostics(entry, source, after)
    if old is None or new is None:
        return ""
    added = new - old
    if added:
        first = next(iter(added))
        return f"compiling with the project's flags adds {sum(added.values())} diagnostic(s): {first}"
    return None
