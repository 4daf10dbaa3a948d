"""Apply byte-range edits to a source text."""
from __future__ import annotations

from typing import Iterable

from codemod.core.model import Edit


def apply_edits(source: bytes, edits: Iterable[Edit]) -> bytes:
    """Return ``source`` with every edit applied.

    All offsets refer to the original text; the result is built in one
    pass.  Overlapping edits are a programming error: callers
    drop conflicting sites before they get here.
    """
    ordered = sorted(edits, key=lambda e: (e.start, e.end))
    for a, b in zip(ordered, ordered[1:]):
        if a.overlaps(b):
            raise ValueError(f"overlapping edits at bytes {a.start}-{a.end} and {b.start}-{b.end}")
    pieces = []
    pos = 0
    for e in ordered:
        pieces.append(source[pos:e.start])
        pieces.append(e.text)
        pos = e.end
    pieces.append(source[pos:])
    return b"".join(pieces)
