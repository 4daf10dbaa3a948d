"""Locate and compile the tree-sitter query files shipped in ``grammars/``.

In a wheel the files live in ``codemod/grammars``; in a source checkout (or an
editable install) they are the top-level ``grammars/`` folder.
"""
from __future__ import annotations

import functools
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parents[3]   # the codemod package folder


def grammars_dir() -> Path:
    """The folder holding ``c/*.scm``; raises if the install is broken."""
    for candidate in (_PACKAGE / "grammars", _PACKAGE.parent / "grammars"):
        if (candidate / "c").is_dir():
            return candidate
    raise RuntimeError(
        "vfork-codemod cannot find its query files (grammars/c/*.scm); "
        "the installation is incomplete"
    )


def query_files(language: str) -> list[Path]:
    return sorted((grammars_dir() / language).glob("*.scm"))


@functools.lru_cache(maxsize=None)
def query_source(language: str, name: str) -> str:
    return (grammars_dir() / language / f"{name}.scm").read_text(encoding="utf-8")
