"""The file a reading's rewrites edit: its bytes and layout, the words
generated names must avoid, and the code blocks fixes need once."""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Callable

from codemod.core import layout
from codemod.core.model import Edit
from codemod.engines.c.frontend.syntax import encode_text

NULL_HEADERS = {b"stdio.h", b"stdlib.h", b"stddef.h", b"string.h", b"unistd.h", b"locale.h", b"time.h", b"wchar.h"}


class Words:
    """``name in words``: the file uses ``name`` as a whole word (anywhere,
    comments and strings included).  Asked for a handful of generated names
    per rewrite, so it searches instead of collecting every word."""

    def __init__(self, source: bytes):
        self.source = source

    def __contains__(self, name: str) -> bool:
        word = name.encode()
        return word in self.source and re.search(rb"\b" + re.escape(word) + rb"\b", self.source) is not None


class Either:
    """``name in taken``: in either collection."""

    def __init__(self, *collections):
        self.collections = collections

    def __contains__(self, name: str) -> bool:
        return any(name in c for c in self.collections)


@dataclass
class Layout:
    """A file's line ending and indentation unit."""

    nl: str
    unit: str


class Target:
    """What the rewrites of one reading of a file share.  ``site_options``
    gives the analysis options of its sites (made on first use);
    ``includes`` are the reading's top-level `#include` captures."""

    def __init__(self, source: bytes, site_options: Callable, includes: dict):
        self.source = source
        self.site_options = site_options
        self.includes = includes
        self.generated: set = set()    # names generated for earlier sites
        self.blocks: dict = {}         # code blocks fixes need once (HeaderPlan.blocks)

    @functools.cached_property
    def layout(self) -> Layout:
        """The file's line ending and indentation unit (only rewrites need them)."""
        return Layout(layout.newline(self.source).decode(), layout.indent_unit(self.source).decode())

    @functools.cached_property
    def taken_names(self) -> Words:
        """The words of the file, which generated names avoid."""
        return Words(self.source)

    def lines(self, block_lines: list, indent: str) -> str:
        """``(level, text)`` lines (level None: an empty line) in the file's layout."""
        nl, unit = self.layout.nl, self.layout.unit
        out = []
        for level, s in block_lines:
            out.append("" if level is None else indent + unit * level + s)
        return nl.join(out) + nl

    def insert_block(self, pos: int, block_lines: list) -> Edit:
        """Lines inserted before the line holding ``pos``, indented as it is."""
        start = layout.line_start(self.source, pos)
        indent = layout.indentation_at(self.source, pos).decode()
        return Edit(start, start, encode_text(self.lines(block_lines, indent)))

    def null(self) -> str:
        """How the file can write a null pointer."""
        paths = {n.text.strip(b"<>\"") for n in self.includes.get("include.path", [])}
        return "NULL" if paths & NULL_HEADERS else "(void *)0"
