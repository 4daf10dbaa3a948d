"""The file-level lines C fixes need (headers, `extern char **environ;`,
helper blocks) and the renderer that applies any chosen set of fixes
without the syntax tree."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from codemod.core.edits import apply_edits
from codemod.core.model import Edit
from codemod.engines.c.frontend.partial import shifted
from codemod.engines.c.frontend.syntax import Node, encode_text, parse

HEADER_ORDER = ("unistd.h", "errno.h", "fcntl.h", "signal.h", "spawn.h")


@dataclass(frozen=True)
class HeaderPlan:
    """The file-level lines C fixes need, as data: any set of fixes gets
    its header edit without the file's syntax tree."""

    present: frozenset     # headers the file includes
    environ: bool          # the file declares `environ`
    pos: int               # where new lines go
    nl: str
    lead: bool             # the last #include has no line end: start with one
    # Code blocks a fix needs once, by name: (position, text).  Blocks at
    # one position are inserted together, in name order (the helpers of two
    # hand-off sites above one function).
    blocks: tuple = ()

    def edits(self, wanted: set) -> list:
        out = []
        lines = [f"#include <{h}>" for h in HEADER_ORDER if h in wanted and h not in self.present]
        if "environ" in wanted and not self.environ:
            lines.append("extern char **environ;")
        if lines:
            body = self.nl + self.nl.join(lines) if self.lead else self.nl.join(lines) + self.nl
            out.append(Edit(self.pos, self.pos, encode_text(body)))
        at: dict = {}
        for name, (pos, code) in self.blocks:
            if name in wanted:
                at.setdefault(pos, []).append(code)
        for pos, texts in sorted(at.items()):
            if out and out[0].start == pos:
                out[0] = Edit(pos, pos, out[0].text + b"".join(texts))
            else:
                out.append(Edit(pos, pos, b"".join(texts)))
        return out


@dataclass(frozen=True)
class EditRenderer:
    """Renders any chosen set of a C file's fixes from the findings' edits."""

    headers: HeaderPlan
    ranges: Optional[list]
    errors: int            # ERROR and MISSING nodes in the original
    verified: frozenset = frozenset()    # keys of fixes already checked alone

    def render(self, original: bytes, findings: list) -> Optional[bytes]:
        edits = with_headers(findings, self.headers)
        if any(a.overlaps(b) for i, a in enumerate(edits) for b in edits[i + 1:]):
            return None
        new = apply_edits(original, edits)
        if len(findings) == 1 and findings[0].fix.key in self.verified:
            return new
        return None if parses_as_cleanly(new, self.ranges, edits, self.errors) else new


def with_headers(findings: list, headers: HeaderPlan) -> list:
    """The findings' edits and the file-level lines they need."""
    wanted: set = set()
    for f in findings:
        wanted |= f.fix.needs
    return [e for f in findings for e in f.fix.edits] + headers.edits(wanted)


def parses_as_cleanly(new: bytes, ranges: Optional[list], edits: Optional[list], before: int) -> Optional[str]:
    """Why ``new`` fails the check that it parses as cleanly as the original (``before`` errors), or None."""
    root = parse(new, shifted(ranges, edits) if ranges is not None else None).root_node
    if root.has_error and error_count(root) > before:
        return "the rewritten file would not parse as cleanly as the original"
    return None


def error_count(root: Node) -> int:
    """ERROR and MISSING nodes, descending only into subtrees that have some."""
    count, stack = 0, [root]
    while stack:
        n = stack.pop()
        if n.type == "ERROR" or n.is_missing:
            count += 1
        stack.extend(c for c in n.children if c.has_error)
    return count
