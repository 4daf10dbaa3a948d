"""What a language engine is, and the registry that finds one.

An :class:`Engine` describes a language (its name and file extensions) and
loads one file into a :class:`Unit`: the file's findings and the means to
render a chosen set of their fixes.  Engines register themselves in their
package's ``__init__`` (which imports nothing heavy: libcst loads only when
a Python file is analysed); :data:`PACKAGES` lists those packages.

Adding a language: a package under ``codemod/engines/`` whose ``__init__``
registers an Engine, and its name in :data:`PACKAGES`.
"""
from __future__ import annotations

import importlib
from typing import Callable, Optional, Protocol

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from codemod.core.model import LoadError, Skip

PACKAGES = ("codemod.engines.c", "codemod.engines.py")


class Renderer(Protocol):
    """Renders chosen fixes of one file without the engine's parse; a plain
    value, so it crosses from a worker process to the main one."""

    def render(self, original: bytes, findings: list) -> Optional[bytes]:
        """The file with these findings' fixes, or None when it is not available or not safe."""


class Unit(Protocol):
    """One loaded file."""

    findings: list
    asks: frozenset           # names it asked the project index about (empty: it asked nothing)
    site_notes: list          # what its sites reached through wrappers tell the index
    compiled: Optional[bool]  # its rewrite was compiled with the project's flags and passed (None: not tried)

    def render(self, chosen: list) -> bytes:
        """The file with the chosen findings' fixes (and the file-level additions they need)."""

    def verify(self, new: bytes) -> Optional[str]:
        """Why ``new`` must not be written, or None."""

    def edits_of(self, new: bytes) -> Optional[list]:
        """The byte edits that made ``new`` (its last render), or None."""

    def renderer(self, options) -> Optional[Renderer]:
        """What the outputs need to render subsets of the fixes in another process."""


class Engine:
    """A language: override :meth:`load`; the rest has defaults."""

    language: str = ""           # "c", "python": the JSON "language" field
    label: str = ""              # "C", "Python": in messages
    extensions: tuple = ()       # (".c", ".h")
    column_unit: str = "bytes"   # what Finding.column counts: "bytes" or "code points"
    fork_name: str = "fork"      # what a fork rewrite calls, in messages and patch subjects
    comment_markers: tuple = ()  # what starts a comment, for `vfork-codemod: ignore`
    preload_early: bool = False  # import it while grep reads, before any file needs it (cheap imports only)
    learns: bool = False         # it builds a project index (:meth:`learn`) after the first analyses

    def load(self, source: bytes, path: str, options) -> "Unit | LoadError | Skip":
        raise NotImplementedError

    def mentions(self, source: bytes, needles: tuple) -> bool:
        """Whether ``source`` can hold a site at all, read before any parse
        (the second filter); True unless the engine can tell cheaply."""
        return True

    def guard(self, work: Callable[[], object], options, failed: Callable[[str], object]) -> object:
        """Run ``work`` (the file's analysis and render); an engine whose parser
        can crash the process runs it in a child (see codemod.engines.py.guard)."""
        return work()

    def preload(self) -> None:
        """Import what :meth:`load` needs, before worker processes are forked."""

    def learn(self, tree, results: list, options, analyse) -> tuple:
        """(results, knowledge): the run's results once the engine has read
        what it needs from the rest of the tree (``tree``, a
        codemod.files.tree.Tree of its files) and analysed again the files
        that changes; ``analyse(files, options)`` analyses [(path, shown)]."""
        return results, None

    def describe(self, knowledge, options, tree) -> dict:
        """What :meth:`learn` found, for `scan --explain` and JSON `project`."""
        return {}


_ENGINES: dict = {}
_BY_EXTENSION: dict = {}


def register(engine_class: type) -> type:
    """Class decorator: make the engine known by its language and extensions."""
    engine = engine_class()
    _ENGINES[engine.language] = engine
    for ext in engine.extensions:
        _BY_EXTENSION[ext] = engine.language
    return engine_class


_ALL_LOADED = []


def _loaded() -> None:
    """Import every engine package (one may have been imported, and so
    registered, on its own before)."""
    if not _ALL_LOADED:
        for name in PACKAGES:
            importlib.import_module(name)
        _ALL_LOADED.append(True)


def engine(language: str) -> Engine:
    _loaded()
    return _ENGINES[language]


def engines() -> list:
    _loaded()
    return list(_ENGINES.values())


def extensions() -> dict:
    """File extension -> language, for every registered engine."""
    _loaded()
    return dict(_BY_EXTENSION)


def handled_files() -> str:
    """`C or Python file (.c, .h, .py)`: what the tool reads, for messages."""
    _loaded()
    labels = " or ".join(e.label for e in _ENGINES.values())
    exts = ", ".join(ext for e in _ENGINES.values() for ext in e.extensions)
    return f"{labels} file ({exts})"
