"""Bounds on what one file may cost, so hostile input cannot take the run down.

* A C file too big to parse whole within ``--max-parse-memory`` is parsed
  in parts or skipped with a note (:mod:`codemod.engines.c.frontend.cost`).
* tree-sitter's queries stop at 65,535 levels of nesting: a `vfork` deeper
  than that would vanish from the results, so the file is an error instead.
* Python files are analysed in a child process with the same memory budget
  (see :mod:`codemod.engines.py.guard`).
"""
from __future__ import annotations


MAX_SITE_DEPTH = 1000      # levels of nesting around a vfork the analysis follows
MAX_REASONS = 100          # reasons a finding lists; the rest are counted in one last reason


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
