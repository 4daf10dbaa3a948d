"""Parse and analyse a Python file in a short-lived child process.

libcst's native parser crashes the whole process on some inputs (a few
thousand nested brackets, a long `or` chain) and can use gigabytes of
memory on others.  The analysis of each Python file therefore runs in a
forked child whose address space is capped; the parent reads the pickled
result from a pipe.  A child that crashes or runs out of its budget costs
that file alone: it is reported as an error naming the limit.
"""
from __future__ import annotations

from typing import Callable

from codemod.core import isolate

BUDGET_HELP = "--max-parse-memory"


def run_isolated(work: Callable[[], object], budget_mb: int, failed: Callable[[str], object]):
    """``work()`` in a forked child allowed ``budget_mb`` more MB of address
    space; its result, or ``failed(reason)`` when the child dies."""
    outcome = isolate.run(work, budget_mb)
    if outcome.kind == "ok":
        return outcome.value
    if outcome.kind == "memory":
        return failed(f"parsing it needs more than the {budget_mb} MB allowed ({BUDGET_HELP}); "
                      "deeply nested brackets or very long expressions")
    if outcome.kind == "signal":
        return failed(f"the Python parser (libcst) crashed on it ({outcome.detail}), usually on deeply nested "
                      f"brackets or very long expressions, or it ran out of the {budget_mb} MB allowed "
                      f"({BUDGET_HELP})")
    return failed(f"the analysis stopped unexpectedly (exit status {outcome.detail})")
