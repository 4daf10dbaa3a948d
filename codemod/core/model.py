"""Values passed between the engines, the runner and the reports.

Per-file outcomes are values, never exceptions: an engine returns a
:class:`FileResult` whose ``status`` says whether the file changed.
"""
from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Optional


class Verdict(str, enum.Enum):
    """What the tool concluded about one site; ordered from safest fix to none."""

    SPAWN = "spawn"    # rewritten to posix_spawn: safe, applied by default
    FORK = "fork"      # rewritten to fork + _exit: safe, applied by default
    REVIEW = "review"  # a person must decide; a fork rewrite may be proposed
    NOTE = "note"      # a reference that is not a call: reported only

    @property
    def rule(self) -> str:
        return RULES[self]


RULES = {
    Verdict.SPAWN: "vfork-to-spawn",
    Verdict.FORK: "vfork-to-fork",
    Verdict.REVIEW: "vfork-review",
    Verdict.NOTE: "vfork-reference",
}


@dataclass(frozen=True)
class Edit:
    """Replace ``source[start:end]`` with ``text`` (all bytes)."""

    start: int
    end: int
    text: bytes

    def overlaps(self, other: "Edit") -> bool:
        """True when applying both would be ambiguous."""
        if self.start == self.end == other.start == other.end:
            return True  # two insertions at one point: order undefined
        return self.start < other.end and other.start < self.end


@dataclass(frozen=True)
class Reason:
    """One fact behind a verdict, tied to a line (1-based)."""

    line: int
    text: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.text}"


@dataclass
class Finding:
    """One vfork site (or reference) and what to do about it."""

    path: str
    line: int
    column: int
    language: str
    verdict: Verdict
    message: str
    reasons: list[Reason] = field(default_factory=list)
    function: Optional[str] = None
    # The rewrite for this site, without the file-level edits it needs
    # (those are in ``header_edits``).  None when no rewrite is possible.
    edits: list[Edit] = field(default_factory=list)
    header_needs: frozenset = frozenset()
    # Engines that rewrite syntax trees instead of byte ranges (Python) name
    # the rewrite here and carry it out in their render().
    fix: Optional[str] = None

    @property
    def rule(self) -> str:
        return self.verdict.rule

    @property
    def rewritable(self) -> bool:
        return bool(self.edits) or self.fix is not None

    def to_json(self) -> dict:
        return {
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "language": self.language,
            "verdict": self.verdict.value,
            "rule": self.rule,
            "message": self.message,
            "reasons": [{"line": r.line, "message": r.text} for r in self.reasons],
            "function": self.function,
        }


class Status(str, enum.Enum):
    CHANGED = "changed"
    UNCHANGED = "unchanged"
    SKIPPED = "skipped"
    FAILED = "failed"


@dataclass
class FileResult:
    """The outcome for one file: findings, and the new bytes when it changed."""

    path: str
    status: Status
    findings: list[Finding] = field(default_factory=list)
    original: bytes = b""
    new: Optional[bytes] = None
    error: Optional[str] = None  # the reason for SKIPPED / FAILED
    language: Optional[str] = None
    # The unified diff of ``original`` to ``new``, when the run asked for
    # diffs: made where the file was analysed (a worker process, in parallel).
    patch: Optional[bytes] = None
    # The byte edits that turn ``original`` into ``new``, when the engine
    # works by byte edits (C): they let the diff compare only the lines
    # they touch.  Like ``unit``, they stay in the process that made them.
    edits: Optional[list] = field(default=None, repr=False)
    # The engine's parsed view of the file (CFile or PyFile), kept when the
    # file has rewritable findings so single changes can be rendered.  It
    # does not cross process boundaries; it is rebuilt from ``original``.
    unit: Optional[object] = field(default=None, repr=False)

    def __getstate__(self):
        state = dict(self.__dict__)
        state["unit"] = None
        state["edits"] = None
        return state
