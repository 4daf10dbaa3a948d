"""Values passed between the engines, the pipeline and the outputs.

Per-file outcomes are values, never exceptions: an engine's unit yields
immutable :class:`Finding` values, each with an optional :class:`Fix` that
knows how safe it is; the pipeline wraps them in a :class:`FileResult`.
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
        """The rule of a finding of this verdict unless its fix names another kind."""
        from codemod.core.kinds import DEFAULT_RULES
        return DEFAULT_RULES[self]

    @property
    def info(self) -> "KindInfo":
        from codemod.core.kinds import KINDS
        return KINDS[self.rule]


class Applicability(str, enum.Enum):
    """How a fix may be applied (ruff's Applicability)."""

    SAFE = "safe"          # apply and diff make it (spawn, fork)
    UNSAFE = "unsafe"      # a proposal: made only when asked (--include-review)
    DISPLAY = "display"    # shown for information, never applied


@dataclass(frozen=True)
class KindInfo:
    """Everything the outputs say about one kind of finding.  Each kind is
    one module of codemod.core.kinds holding its row (a new rewrite kind is
    a new module there; its fix names it in ``Fix.kind``)."""

    rule: str              # SARIF rule id, JSON "rule"
    verdict: "Verdict"     # what it counts as
    title: str             # SARIF shortDescription
    help: str              # SARIF fullDescription and help
    level: str             # SARIF level
    colour: str            # key of codemod.output.color.CODES
    applicability: Optional[Applicability]   # of the fix a finding of this kind carries
    fix_text: str = ""     # SARIF fix description
    example: tuple = ("", "")   # (before, after): C code `vfork-codemod rule` and docs/rules.md show
    order: int = 0         # its place in the reports' rule lists (SARIF rule indexes stay put)
    # The reason kinds only this kind explains itself with: {kind: (template, advice key or None)},
    # added to the catalogue (codemod.core.reasons).
    reasons: tuple = ()




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


# Reason tags.
RETURNS = "returns"            # the statement the reason is on is a `return`
MACRO_BODY = "macro-body"      # the vfork the reason is on is in a #define's body


@dataclass(frozen=True)
class Reason:
    """One fact behind a verdict, tied to a line (1-based); ``kind`` is its
    entry in the catalogue (:mod:`codemod.core.reasons`)."""

    line: int
    kind: str
    text: str
    # A few words on what a rewrite would break (review reasons), for the
    # subject of an [RFC] patch; not part of any report.
    short: str = field(default="", compare=False)
    # Facts about what the reason is on, for the code that reads reasons
    # (RETURNS, MACRO_BODY); not part of any report.
    tags: frozenset = field(default=frozenset(), compare=False)

    def __str__(self) -> str:
        return f"line {self.line}: {self.text}"


@dataclass(frozen=True)
class Fix:
    """The rewrite of one site.

    ``edits`` are byte edits on the original file (C); an engine that
    rewrites syntax trees (Python) leaves them empty and renders the fix
    itself.  ``needs`` names the file-level additions (headers, imports)
    the engine adds once for all chosen fixes.  ``key`` identifies the site
    within its file for the engine's renderer."""

    applicability: Applicability
    key: int
    edits: tuple = ()
    needs: frozenset = frozenset()
    kind: Optional[str] = None       # a rule (codemod.core.kinds) other than the verdict's first
    target: str = ""                 # what the rewrite calls: "posix_spawn", "os.fork", ...


@dataclass(frozen=True)
class Finding:
    """One vfork site (or reference) and what to do about it."""

    path: str
    line: int
    column: int
    language: str
    verdict: Verdict
    message: str
    reasons: tuple = ()
    function: Optional[str] = None
    fix: Optional[Fix] = None
    suppressed: bool = False       # an inline `vfork-codemod: ignore` covers it
    fingerprint: str = ""          # the site without its line number (codemod.core.suppress)

    @property
    def rule(self) -> str:
        return self.fix.kind if self.fix is not None and self.fix.kind else self.verdict.rule

    @property
    def info(self) -> KindInfo:
        from codemod.core.kinds import KINDS
        return KINDS[self.rule]

    @property
    def rewritable(self) -> bool:
        return self.fix is not None

    def to_json(self) -> dict:
        return {
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "language": self.language,
            "verdict": self.verdict.value,
            "rule": self.rule,
            "message": self.message,
            "reasons": [{"line": r.line, "kind": r.kind, "message": r.text} for r in self.reasons],
            "function": self.function,
            "suppressed": self.suppressed,
            "fingerprint": self.fingerprint,
        }


def applies(finding: Finding, include_review: bool) -> bool:
    """Whether the finding's fix is made: safe fixes always, unsafe ones
    (review proposals) only when asked, display-only ones never."""
    fix = finding.fix
    if fix is None or finding.suppressed:
        return False
    if fix.applicability is Applicability.SAFE:
        return True
    return fix.applicability is Applicability.UNSAFE and include_review


def actionable(finding: Finding) -> bool:
    """A site a person or the tool must act on (everything but notes and suppressed sites)."""
    return finding.verdict is not Verdict.NOTE and not finding.suppressed


class LoadError(str):
    """Why an engine cannot analyse a file, in its own words (the file fails)."""


class Skip(str):
    """Why a file is skipped (a note, not an error)."""


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
    findings: list = field(default_factory=list)
    original: bytes = b""
    new: Optional[bytes] = None
    error: Optional[str] = None  # the reason for SKIPPED / FAILED
    language: Optional[str] = None
    # The unified diff of ``original`` to ``new``, when the run asked for
    # diffs: made where the file was analysed (a worker process, in parallel).
    patch: Optional[bytes] = None
    # The byte edits that turn ``original`` into ``new``, when the engine
    # works by byte edits (C): they let the diff compare only the lines they touch.
    edits: Optional[list] = field(default=None, repr=False)
    # Renders chosen subsets of the findings' fixes without the engine's
    # parse (see codemod.engines.base.Renderer); crosses process boundaries.
    renderer: Optional[object] = field(default=None, repr=False)
    # Suppression comments that covered no site: [(line, rules)].
    unused_suppressions: list = field(default_factory=list)
    # Names the analysis asked about and did not find in the C library (the
    # project index looks them up in the rest of the tree).
    asks: frozenset = field(default_factory=frozenset, repr=False)
    # How calls through wrappers and redirects were judged: [(key, SiteNote)].
    site_notes: list = field(default_factory=list, repr=False)
    # With --compile-commands: True when the rewrite was compiled with the
    # file's own command and added nothing, False when it could not be compiled.
    compiled: Optional[bool] = None

    def render(self, findings: list) -> Optional[bytes]:
        """The file with just these findings' fixes made, or None when that
        text is not available or would not be safe to write."""
        if not findings or self.renderer is None or any(f.fix is None for f in findings):
            return None
        return self.renderer.render(self.original, findings)

    def __getstate__(self):
        state = dict(self.__dict__)
        state["edits"] = None       # the patch, made where the edits are, crosses instead
        return state
