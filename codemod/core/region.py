"""The child region, for any language.

After a vfork call the tool walks the statements that follow it and splits
``if`` chains by which outcomes of vfork (child, parent, error: see
:mod:`codemod.core.outcomes`) can take each branch, until only the child is
left; it then asks whether the code tests for failure, whether control
always leaves a block, and which verdict the site gets.  All of that is
here, once; each engine supplies an :class:`Adapter` that reads its syntax
(and keeps what only its language has: C's switch, retry loops and `#if`).
"""
from __future__ import annotations

from typing import Callable, NamedTuple, Optional, Protocol

from codemod.core import outcomes
from codemod.core.model import RETURNS, Verdict

ALL = frozenset(outcomes.OUTCOMES)


class Adapter(Protocol):
    language: str

    def line(self, node) -> int: ...

    def show(self, node) -> str:
        """The node's text, shortened for a reason."""

    def returns(self, stmt) -> bool:
        """``stmt`` is a return statement."""

    def evaluate(self, condition, is_result) -> dict:
        """The condition's truth for each outcome (codemod.core.outcomes)."""

    def if_parts(self, stmt) -> Optional[tuple]:
        """(condition, then statements, alternative) of an `if`, else None.
        The alternative is None, ("if", stmt) for an else-if, or ("else", node)."""

    def mentions(self, node, is_result) -> bool:
        """Some node under ``node`` is the vfork result."""

    def fallthrough(self, stmts: list):
        """The region of statements the child reaches by falling through."""

    def region(self, kind: str, stmt):
        """The region of the child's branch ("branch") or else part ("else") of ``stmt``."""

    def shape(self, stmt) -> tuple:
        """How control leaves ``stmt``: ("leaves",) return/goto/break/continue/raise;
        ("call", node) a call statement; ("block", stmts); ("if", then, else or None);
        ("loop", forever, has_break); ("try", body, [handler bodies], final or None); ("other",)."""


def leaves(ad: Adapter, stmts: list, is_exit: Callable) -> bool:
    """Control never runs off the end of ``stmts``: some statement always
    leaves (``is_exit(call)`` tells a call that never returns)."""
    return first_leaving(ad, stmts, is_exit) is not None


def first_leaving(ad: Adapter, stmts: list, is_exit: Callable) -> Optional[object]:
    """The first statement of ``stmts`` that always leaves, or None."""
    return next((s for s in stmts if _leaves(ad, s, is_exit)), None)


def _leaves(ad: Adapter, stmt, is_exit) -> bool:
    shape = ad.shape(stmt)
    kind = shape[0]
    if kind == "leaves":
        return True
    if kind == "call":
        return bool(is_exit(shape[1]))
    if kind == "block":
        return leaves(ad, shape[1], is_exit)
    if kind == "if":
        _, then, other = shape
        return other is not None and leaves(ad, then, is_exit) and leaves(ad, other, is_exit)
    if kind == "loop":
        _, forever, has_break = shape
        return forever and not has_break
    if kind == "try":
        _, body, handlers, final = shape
        if final is not None and leaves(ad, final, is_exit):
            return True
        return leaves(ad, body, is_exit) and all(leaves(ad, h, is_exit) for h in handlers)
    return False


class Scan:
    """The state of one site's region search: reasons that make it a review
    site, reasons that rule out posix_spawn, and the region once found."""

    def __init__(self, ad: Adapter, is_result: Callable, is_exit: Callable, review: Optional[list] = None,
                 no_spawn: Optional[list] = None):
        self.ad = ad
        self.is_result = is_result
        self.is_exit = is_exit
        self.review: list = [] if review is None else review
        self.no_spawn: list = [] if no_spawn is None else no_spawn
        self.region = None

    def block(self, reason) -> None:
        self.review.append(reason)

    @property
    def decided(self) -> bool:
        return self.region is not None or bool(self.review)


def scan(scan_: Scan, stmts: list, live: set, reason: Callable, other: Callable) -> Optional[set]:
    """Walk ``stmts`` (those after the call, in one block) until only the
    child is live.  Returns the outcomes still live at the end of the list,
    or None once the region is found or the site needs review.
    ``other(stmt, live)`` handles a statement that is not an `if` on the
    result: "skip" to pass over it, "done" when it decided the site, None
    when it runs in both processes."""
    ad = scan_.ad
    for pos, stmt in enumerate(stmts):
        if live == {"child"}:
            scan_.region = ad.fallthrough(stmts[pos:])
            scan_.no_spawn.append(reason("fallthrough", ad.line(stmt)))
            return None
        parts = ad.if_parts(stmt)
        if parts is not None and ad.mentions(parts[0], scan_.is_result):
            live = split_if(scan_, stmt, live, reason)
            if live is None:
                return None
            continue
        step = other(stmt, live)
        if step == "skip":
            continue
        if step == "done":
            return None
        scan_.block(reason("runs-in-both", ad.line(stmt), stmt=ad.show(stmt),
                           tags=frozenset({RETURNS}) if ad.returns(stmt) else frozenset()))
        return None
    return live


def split_if(scan_: Scan, stmt, live: set, reason: Callable) -> Optional[set]:
    """Decide which branch each live outcome takes; return the outcomes
    after the `if`, or None once decided."""
    ad = scan_.ad
    condition, then, alternative = ad.if_parts(stmt)
    truth = ad.evaluate(condition, scan_.is_result)
    at = ad.line(stmt)
    if truth["child"] is None:
        scan_.block(reason("branch-unclear", at, condition=ad.show(condition)))
        return None
    sp = outcomes.split(truth, live)
    if sp.child:
        if sp.entered:
            scan_.block(reason("branch-shared", at, at=at, others=" and ".join(sorted(sp.entered))))
            return None
        scan_.region = ad.region("branch", stmt)
        return None
    # Outcomes entering the branch stay live after the `if` unless it always
    # leaves (the `if (pid < 0) { perror(); return -1; }` pattern).
    stays = set() if leaves(ad, then, scan_.is_exit) else sp.entered
    remaining = sp.remaining
    if alternative is None:
        return stays | remaining
    kind, node = alternative
    if kind == "if":
        after = split_if(scan_, node, remaining, reason)
        return None if after is None else stays | after
    if remaining == {"child"}:
        scan_.region = ad.region("else", stmt)
        return None
    scan_.block(reason("else-shared", ad.line(node), at=ad.line(node),
                       others=" and ".join(sorted(remaining - {"child"}))))
    return None


def chain_has_error_branch(ad: Adapter, stmt, is_result) -> bool:
    """Some branch of an if / else-if chain is taken on failure alone."""
    truths = []
    while True:
        condition, _, alternative = ad.if_parts(stmt)
        truths.append(ad.evaluate(condition, is_result))
        if alternative is None:
            return outcomes.error_only_branch(truths, final_else=False)
        kind, node = alternative
        if kind != "if":
            return outcomes.error_only_branch(truths, final_else=True)
        stmt = node


# --------------------------------------------------------------------------
# The verdict ladder.

class Decision(NamedTuple):
    """What a site gets: its verdict, the reasons, and which fix ("spawn",
    "fork" or None) with what the engine's rewriter needs (``spawn``: the
    result of ``try_spawn``)."""

    verdict: Verdict
    reasons: list
    fix: Optional[str]
    child: object = None
    spawn: object = None


def decide(site_review: list, region, undelimited, analyse: Callable, no_spawn: Callable,
           try_spawn: Callable, proposable: Callable = lambda child: True) -> Decision:
    """The ladder every engine follows.

    1. A site whose region cannot be found is review, with no proposal.
    2. A child the analysis cannot prove safe is review; a fork rewrite is
       proposed unless the region is unreadable (``proposable``).
    3. A safe child becomes posix_spawn when its set-up maps exactly and
       nothing about the site rules it out (``no_spawn(child)``); placing
       the spawn code may still fail (``try_spawn(child)`` returns (value,
       None) or (None, reason)).
    4. Otherwise fork, with every reason posix_spawn was ruled out.
    """
    if site_review or region is None:
        return Decision(Verdict.REVIEW, list(site_review) or [undelimited], None)
    child = analyse()
    if child.review:
        return Decision(Verdict.REVIEW, list(child.review), "fork" if proposable(child) else None, child)
    against = list(no_spawn(child))
    if child.plan is not None and not against:
        done, problem = try_spawn(child)
        if done is not None:
            return Decision(Verdict.SPAWN, [], "spawn", child, done)
        against.append(problem)
    return Decision(Verdict.FORK, against + list(child.beyond_spawn), "fork", child)


def message(decision: Decision, fork_name: str) -> str:
    """The one-line message of a review or fork decision."""
    reasons = decision.reasons
    if decision.verdict is Verdict.REVIEW:
        return f"needs review: {reasons[0].text}"
    return f"fixable with {fork_name}: {reasons[0].text}" if reasons else f"fixable with {fork_name}"


# --------------------------------------------------------------------------
# What the analysis of a child collects, in both languages.

class ChildBase:
    """Shared part of a child analysis: ``review`` and ``beyond_spawn``
    reasons, the spawn ``plan`` when there is one, and the `if` statements
    the safety walk named as beyond posix_spawn (key -> its reason) that
    the spawn matcher may read as set-up after all."""

    def __init__(self):
        self.review: list = []
        self.beyond_spawn: list = []
        self.plan = None
        self.conditions: dict = {}

    def drop_conditions(self, accepted: set) -> None:
        gone = [self.conditions[k] for k in accepted if k in self.conditions]
        self.beyond_spawn = [r for r in self.beyond_spawn if not any(r is g for g in gone)]
