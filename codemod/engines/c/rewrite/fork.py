"""The fork rewrite: vfork becomes fork and the child's exit() calls
become _exit().  It also makes the fork proposal of a review finding,
made only on request (the review row's applicability)."""
from __future__ import annotations

from dataclasses import replace

from codemod.core import region
from codemod.core.kinds import KINDS
from codemod.core.kinds import fork as kind
from codemod.core.model import Edit, Finding, Fix, Verdict
from codemod.engines.c.proof import analysis
from codemod.engines.c.rewrite.base import Rewrite, rewrite


def edits(site, child) -> tuple:
    """(edits, headers needed) that turn ``site`` into fork: the call's
    name, and the child's exit() calls into _exit()."""
    out = [Edit(site.token.start_byte, site.token.end_byte, b"fork")]
    renames = analysis.exit_edits(child)
    out += [e for e, _ in renames]
    return out, frozenset({"unistd.h"} if renames else set())


@rewrite
class Fork(Rewrite):
    """Every decision no other rewrite takes: fork, a review with a fork
    proposal, or a review with none."""

    rule = kind.RULE
    priority = 90

    def applies(self, decision) -> bool:
        return True

    def finding(self, target, finding: Finding, key: int, site, decision) -> Finding:
        reasons = decision.reasons
        fix = None
        if decision.fix == "fork":
            made, needs = edits(site, decision.child)
            applicability = KINDS[decision.verdict.rule].applicability
            fix = Fix(applicability, key, tuple(made), needs, target="fork")
        if decision.verdict is Verdict.FORK:
            reasons = reasons + [r for _, r in analysis.exit_edits(decision.child)]
        return replace(finding, message=region.message(decision, "fork"), reasons=tuple(reasons), fix=fix)
