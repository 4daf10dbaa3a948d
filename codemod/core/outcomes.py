"""Which outcomes of vfork take a branch, independent of the language.

vfork returns 0 in the child, a positive pid in the parent and -1 on
failure.  A condition is evaluated for each of the three outcomes to True,
False or None (cannot tell).  ``pid <= 0`` is True for child and error and
False for parent; ``pid == 0 and ok`` is None for the child.
"""
from __future__ import annotations

from typing import NamedTuple, Optional

OUTCOMES = ("child", "parent", "error")
Truth = dict  # outcome -> Optional[bool]

# Representative values: the child sees 0, failure is -1, the parent sees a
# pid.  For the parent only comparisons whose answer holds for every
# positive pid are decided.
COMPARE = {
    "==": lambda v, c: v == c, "!=": lambda v, c: v != c,
    "<": lambda v, c: v < c, ">": lambda v, c: v > c,
    "<=": lambda v, c: v <= c, ">=": lambda v, c: v >= c,
}
MIRROR = {"==": "==", "!=": "!=", "<": ">", ">": "<", "<=": ">=", ">=": "<="}


def unknown() -> Truth:
    return {o: None for o in OUTCOMES}


def compare(op: str, c: int) -> Truth:
    f = COMPARE[op]
    parent: Optional[bool]
    if c <= 0:
        parent = f(1, c)          # every positive pid compares alike
    else:
        parent = None
    return {"child": f(0, c), "error": f(-1, c), "parent": parent}


def negate(t: Truth) -> Truth:
    return {o: (None if v is None else not v) for o, v in t.items()}


def both(a: Truth, b: Truth) -> Truth:
    out = {}
    for o in OUTCOMES:
        if a[o] is False or b[o] is False:
            out[o] = False
        elif a[o] is True and b[o] is True:
            out[o] = True
        else:
            out[o] = None
    return out


def either(a: Truth, b: Truth) -> Truth:
    return negate(both(negate(a), negate(b)))


def result_truth() -> Truth:
    """The vfork value itself used as a condition (`if (pid)`)."""
    return {"child": False, "parent": True, "error": True}


def is_error_test(t: Truth) -> bool:
    """The condition singles out failure (`pid < 0`, `pid == -1`)."""
    return t["error"] is True and t["child"] is False and t["parent"] is False


class Split(NamedTuple):
    """How the outcomes still live divide at an `if`."""

    child: Optional[bool]   # does the child take the branch (None: cannot tell)
    entered: set            # other outcomes that may take the branch
    remaining: set          # outcomes that may go on to the else part


def split(truth: Truth, live: set) -> Split:
    others = live - {"child"}
    return Split(truth["child"], {o for o in others if truth[o] is not False},
                 {o for o in live if truth[o] is not True})


def error_only_branch(truths: list, final_else: bool) -> bool:
    """Some branch of an if / else-if chain (conditions' truths in order,
    then maybe a final else) is taken on failure alone."""
    live = set(OUTCOMES)
    for truth in truths:
        if {o for o in live if truth[o] is not False} == {"error"}:
            return True
        live = {o for o in live if truth[o] is not True}
    return final_else and live == {"error"}
