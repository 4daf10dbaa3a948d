"""Parse only the parts of a big C file that matter, in bounded memory.

tree-sitter needs about 150 bytes per token, so a 24 MB file costs over a
gigabyte to parse whole.  For a file too big for ``--max-parse-memory`` the
tool finds its top-level items with a light scan (braces, semicolons,
comments, string and character literals, preprocessor lines) and parses
only the items that mention vfork (or an alias), the top-level
preprocessor lines and the items that mention `environ`, through
tree-sitter's included ranges: node offsets stay those of the whole file,
so every edit and report is unchanged.  When the scan cannot find a clean
top-level structure (unbalanced braces), or the chosen parts are still too
big, the file is skipped with a note.
"""
from __future__ import annotations

import bisect
import re
from typing import Optional

import tree_sitter

_TOKEN = re.compile(rb'/\*.*?\*/|//(?:\\\r?\n|[^\n])*|"(?:\\.|[^"\\\n])*"|\'(?:\\.|[^\'\\\n])*\'|[{};]'
                    rb'|(?:^|\n)[ \t]*#(?:\\\r?\n|[^\n])*', re.S)


def item_ranges(source: bytes, words: tuple) -> Optional[list]:
    """(start, end) byte ranges worth parsing, merged and in order; None
    when the file's top level cannot be told apart."""
    items = _items(source)
    if items is None:
        return None
    wanted = re.compile(rb"(?<![A-Za-z0-9_])(?:" + b"|".join(re.escape(w) for w in words + (b"environ",)) +
                        rb")(?![A-Za-z0-9_])")
    out: list = []
    for i, (lo, hi, kind) in enumerate(items):
        if kind == "#":
            out.append((lo, hi))
            continue
        if not wanted.search(source, lo, hi):
            continue
        out.append((lo, hi))
        if source[lo:hi].lstrip().startswith(b"{"):
            # A K&R definition: its head and parameter declarations end in
            # `;` before the body; take them back to the previous item.
            j = i - 1
            while j >= 0 and i - j <= 32 and items[j][2] == ";" and _parameter_like(source, items[j]):
                out.append(items[j][:2])
                j -= 1
    return _merged(out)


def _parameter_like(source: bytes, item: tuple) -> bool:
    """A K&R head or parameter declaration: short, nothing initialised."""
    lo, hi, _ = item
    return hi - lo < 400 and b"=" not in source[lo:hi]


def _items(source: bytes) -> Optional[list]:
    """Top-level items: (start, end, what ended it: "}", ";", "#" for a
    preprocessor line, "" for the rest of the file)."""
    depth = 0
    start = 0
    items: list = []
    for m in _TOKEN.finditer(source):
        ch = source[m.start():m.start() + 1]
        if ch == b"{":
            depth += 1
        elif ch == b"}":
            depth -= 1
            if depth < 0:
                return None
            if depth == 0:
                hi = _line_end(source, m.end())
                items.append((start, hi, "}"))
                start = hi
        elif ch == b";":
            if depth == 0:
                hi = _line_end(source, m.end())
                items.append((start, hi, ";"))
                start = hi
        elif depth == 0 and ch in (b"\n", b"#", b" ", b"\t"):
            lo = m.start() + (1 if ch == b"\n" else 0)
            hi = _line_end(source, m.end())
            if start < lo:
                items.append((start, lo, ""))
            items.append((max(lo, start), hi, "#"))
            start = max(start, hi)
    if depth != 0:
        return None
    if start < len(source):
        items.append((start, len(source), ""))
    return items


def _line_end(source: bytes, pos: int) -> int:
    nl = source.find(b"\n", pos)
    return len(source) if nl < 0 else nl + 1


def _merged(ranges: list) -> list:
    out: list = []
    for lo, hi in sorted(ranges):
        if out and lo <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], hi))
        else:
            out.append((lo, hi))
    return out


def ts_ranges(source: bytes, ranges: list) -> list:
    """tree-sitter Range objects (with rows and columns) for byte ranges."""
    out = []
    for lo, hi in ranges:
        out.append(tree_sitter.Range(_point(source, lo), _point(source, hi), lo, hi))
    return out


def _point(source: bytes, offset: int) -> tree_sitter.Point:
    return tree_sitter.Point(source.count(b"\n", 0, offset), offset - source.rfind(b"\n", 0, offset) - 1)


def shifted(ranges: list, edits: list) -> list:
    """The ranges after the byte ``edits`` (start, end, text); an edit at a
    range's end (a header line added after the last #include) extends it."""
    ordered = sorted(edits, key=lambda e: (e.start, e.end))
    starts = [e.start for e in ordered]
    deltas = [0]
    for e in ordered:
        deltas.append(deltas[-1] + len(e.text) - (e.end - e.start))
    out = []
    for lo, hi in ranges:
        i = bisect.bisect_left(starts, lo)        # edits starting before the range
        j = bisect.bisect_right(starts, hi)       # edits starting in it (or at its end)
        out.append((lo + deltas[i], hi + deltas[j]))
    return _merged(out)
