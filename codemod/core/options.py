"""The options of one run: the command line merged over the configuration
file.  Each engine turns them into what its analysis reads
(:meth:`codemod.engines.base.Engine.load`)."""
from __future__ import annotations

import functools
from dataclasses import dataclass, field


@dataclass(frozen=True)
class RunOptions:
    """Everything one run was asked to do (command line and configuration file merged)."""

    include_review: bool = False
    target: str = "glibc"
    aliases: tuple = ()
    exec_wrappers: tuple = ()
    safe_functions: tuple = ()
    spawnp: bool = False         # execvp & co. may become posix_spawnp (no /bin/sh fallback for scripts)
    die_functions: tuple = ()    # project functions that end the process without exec'ing
    strict_exits: bool = False   # a child that may end through a helper's exit() stays review
    max_parse_memory: int = 400  # MB a file's parse may use: larger C files are skipped, Python stopped
    max_worker_memory: int = 2048  # MB a worker process may grow by: past it, the file it analyses fails alone
    diffs: bool = False          # also make each changed file's unified diff (FileResult.patch)
    renders: bool = False        # the outputs render single fixes (SARIF fixes, review patches, -i)
    texts: bool = True           # results keep the file's bytes (apply, review, SARIF); scan and diff drop them
    include_dirs: tuple = ()     # folders outside the walk whose definitions the project index reads
    project: bool = True         # learn from the other files of the tree (--no-project: each file alone)
    knowledge: object = field(default=None, compare=False)   # what the index learned (codemod.engines.c.project.knowledge)
    extra_needles: tuple = ()    # names of wrappers and redirects the index found (their callers are parsed)
    defines: tuple = ()          # ((name, value), ...) from --define: `#if`s this decides are read decided
    undefines: tuple = ()        # names from --undefine
    compile_db: object = field(default=None, compare=False)   # --compile-commands: path -> compiledb.Entry

    @functools.cached_property
    def needles(self) -> tuple:
        """Byte strings one of which a file must contain to be parsed at all."""
        from codemod.core.needles import needles
        return needles(self.aliases + self.extra_needles)


def merge_macros(*layers) -> dict:
    """RunOptions' ``defines`` and ``undefines`` from layers of (defines,
    undefines), as cc reads -D and -U: each define is "NAME[=VALUE]" or a
    (name, value) pair, a later layer wins, and in one layer -U wins over -D."""
    state: dict = {}
    for defines, undefines in layers:
        for item in defines:
            name, value = (item.partition("=")[::2]) if isinstance(item, str) else item
            state[name] = value or "1"
        for name in undefines:
            state[name] = None
    return {"defines": tuple((n, v) for n, v in state.items() if v is not None),
            "undefines": tuple(n for n, v in state.items() if v is None)}
