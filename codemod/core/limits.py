"""Bounds on what one file may cost, so hostile input cannot take the run down.

* A C file is parsed by tree-sitter, which needs about 150 bytes per
  token, and again to check the rewrite.  A file whose estimated cost is
  over ``--max-parse-memory`` is parsed in parts (only the top-level items
  that mention vfork, see :mod:`codemod.engines.c.partial`); when even those are
  too big (a 20 MB one-line initialiser in the function with the vfork) it
  is skipped with a note.
* tree-sitter's queries stop at 65,535 levels of nesting: a `vfork` deeper
  than that would vanish from the results, so the file is an error instead.
* Python files are analysed in a child process with the same memory budget
  (see :mod:`codemod.engines.py.guard`).
"""
from __future__ import annotations

from codemod.core.model import Skip

MAX_SITE_DEPTH = 1000      # levels of nesting around a vfork the analysis follows
MAX_REASONS = 100          # reasons a finding lists; the rest are counted in one last reason
BYTES_PER_TOKEN = 300      # a parse and the check of the rewrite: two trees of about 150 bytes a token
_PUNCT = b"!%&()*+,-./:;<=>?[]^{|}~\"'#\\"
_WORDISH = bytes(range(48, 58)) + bytes(range(65, 91)) + bytes(range(97, 123)) + b"_"
# Word bytes become "a", everything else " ": a word starts at each " a".
_CLASSES = bytes(ord("a") if b in _WORDISH else ord(" ") for b in range(256))


def capped(finding):
    """``finding`` with at most MAX_REASONS reasons: a child calling 10,000
    unknown functions says so in 100 and counts the rest by kind; the
    first reason of each kind is always kept."""
    if len(finding.reasons) <= MAX_REASONS:
        return finding
    import dataclasses
    from codemod.core.reasons import reason
    # Every kind keeps its first reason (the one that decides may come
    # last: configurations-too-many after 300 #ifs); the rest in order.
    keep, seen = set(), set()
    for i, r in enumerate(finding.reasons):
        if r.kind not in seen:
            seen.add(r.kind)
            keep.add(i)
    for i in range(len(finding.reasons)):
        if len(keep) >= MAX_REASONS - 1:
            break
        keep.add(i)
    kept = [r for i, r in enumerate(finding.reasons) if i in keep]
    rest = [r for i, r in enumerate(finding.reasons) if i not in keep]
    kinds = ", ".join(dict.fromkeys(r.kind for r in rest))
    more = reason("more-reasons", rest[0].line, finding.language, n=len(rest), kinds=kinds, most=MAX_REASONS)
    return dataclasses.replace(finding, reasons=tuple(kept) + (more,))


class TooDeep(Exception):
    """A site sits deeper than the analysis can see; the message says where."""


def c_tokens(source: bytes) -> int:
    """About how many tokens tree-sitter will make of ``source`` (words and
    punctuation), counted in C without making an object per token."""
    classes = b" " + source.translate(_CLASSES)
    words = classes.count(b" a")
    del classes
    return words + len(source) - len(source.translate(None, _PUNCT))


def c_ranges(source: bytes, budget_mb: int, words: tuple):
    """None to parse ``source`` whole; a list of byte ranges to parse when
    the whole would not fit ``budget_mb``; a :class:`Skip` when even the
    parts that mention vfork do not fit."""
    budget = budget_mb * 1024 * 1024
    if len(source) * BYTES_PER_TOKEN <= budget:      # a token is at least a byte
        return None
    tokens = c_tokens(source)
    if tokens * BYTES_PER_TOKEN <= budget:
        return None
    from codemod.engines.c.partial import item_ranges
    ranges = item_ranges(source, words)
    if ranges is None:
        return Skip(f"too large to analyse: about {tokens:,} tokens need about "
                    f"{tokens * BYTES_PER_TOKEN >> 20:,} MB to parse and check, more than the {budget_mb:,} MB "
                    "allowed (--max-parse-memory), and its top-level items could not be told apart to parse "
                    "only those that mention vfork; skipped")
    part = sum(c_tokens(source[lo:hi]) for lo, hi in ranges)
    if part * BYTES_PER_TOKEN > budget:
        return Skip(f"too large to analyse: the parts that mention vfork alone have about {part:,} tokens, "
                    f"which need about {part * BYTES_PER_TOKEN >> 20:,} MB to parse and check, more than the "
                    f"{budget_mb:,} MB allowed (--max-parse-memory); skipped")
    return ranges
