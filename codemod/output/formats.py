"""The report formats of `scan --format`: one signature, one registry.

A format is a function ``write(report, stream)`` registered with
:func:`output_format`; adding one is a module in this package with such a
function, and its name in :data:`MODULES`.
"""
from __future__ import annotations

import importlib
from typing import Callable, NamedTuple

MODULES = ("codemod.output.text", "codemod.output.json", "codemod.output.sarif", "codemod.output.github")
NAMES = ("text", "json", "sarif", "github")   # --format choices, known without importing the writers


class Report(NamedTuple):
    """What a report is made from."""

    results: list          # FileResult values in walk order
    missing: list          # paths that could not be read (codemod.files.walk.Missing)
    files: int             # files read
    options: object        # codemod.core.options.RunOptions
    colour: bool           # the stream is a terminal that wants colour
    unused: object = None  # [(path, line, rules)] of unused suppressions, when asked for
    quiet: bool = False    # -q: the sites only, no summary
    project: object = None  # what the project index learned (codemod.engines.c.proof.describe.describe), or None
    explain: bool = False  # text: list the project index too (--explain)


_FORMATS: dict = {}


def output_format(name: str) -> Callable:
    """Decorator: register ``write(report, stream)`` as format ``name``."""
    def register(write: Callable) -> Callable:
        _FORMATS[name] = write
        return write
    return register


def writer(name: str) -> Callable:
    """The registered writer of format ``name`` (every format module is
    imported: one may have been imported, and so registered, on its own)."""
    for module in MODULES:
        importlib.import_module(module)
    return _FORMATS[name]
