"""Which outcomes of vfork take a branch.

vfork returns 0 in the child, a positive pid in the parent and -1 on
failure.  A condition is evaluated for each of the three outcomes to True,
False or None (cannot tell).  ``pid <= 0`` is True for child and error and
False for parent; ``pid == 0 && ok`` is None for the child.
"""
from __future__ import annotations

from typing import Callable, Optional

from codemod.c.syntax import Node, text

OUTCOMES = ("child", "parent", "error")
Truth = dict  # outcome -> Optional[bool]

# Representative values: the child sees 0, failure is -1, the parent sees a
# pid.  For the parent only comparisons whose answer holds for every
# positive pid are decided.
_COMPARE = {
    "==": lambda v, c: v == c, "!=": lambda v, c: v != c,
    "<": lambda v, c: v < c, ">": lambda v, c: v > c,
    "<=": lambda v, c: v <= c, ">=": lambda v, c: v >= c,
}
_MIRROR = {"==": "==", "!=": "!=", "<": ">", ">": "<", "<=": ">=", ">=": "<="}


def unknown() -> Truth:
    return {o: None for o in OUTCOMES}


def _const(node: Node) -> Optional[int]:
    """The integer value of a constant like `0`, `-1`, `(pid_t)-1`, `(0)`."""
    t = node.type
    if t == "number_literal":
        try:
            return int(text(node).rstrip("uUlL"), 0)
        except ValueError:
            return None
    if t == "parenthesized_expression" and node.named_child_count == 1:
        return _const(node.named_children[0])
    if t == "cast_expression":
        value = node.child_by_field_name("value")
        return _const(value) if value is not None else None
    if t == "unary_expression" and node.child_by_field_name("operator").type in ("-", "+"):
        v = _const(node.child_by_field_name("argument"))
        if v is None:
            return None
        return -v if node.child_by_field_name("operator").type == "-" else v
    return None


def _compare(op: str, c: int) -> Truth:
    f = _COMPARE[op]
    parent: Optional[bool]
    if c <= 0:
        parent = f(1, c)          # every positive pid compares alike
    else:
        parent = None
    return {"child": f(0, c), "error": f(-1, c), "parent": parent}


def _not(t: Truth) -> Truth:
    return {o: (None if v is None else not v) for o, v in t.items()}


def _and(a: Truth, b: Truth) -> Truth:
    out = {}
    for o in OUTCOMES:
        if a[o] is False or b[o] is False:
            out[o] = False
        elif a[o] is True and b[o] is True:
            out[o] = True
        else:
            out[o] = None
    return out


def _or(a: Truth, b: Truth) -> Truth:
    return _not(_and(_not(a), _not(b)))


def evaluate(expr: Node, is_result: Callable[[Node], bool]) -> Truth:
    """Evaluate a condition for each outcome; ``is_result`` recognises the vfork value."""
    t = expr.type
    if is_result(expr):
        return {"child": False, "parent": True, "error": True}
    if t == "parenthesized_expression" and expr.named_child_count == 1:
        return evaluate(expr.named_children[0], is_result)
    if t == "unary_expression" and expr.child_by_field_name("operator").type == "!":
        return _not(evaluate(expr.child_by_field_name("argument"), is_result))
    if t == "binary_expression":
        op = expr.child_by_field_name("operator").type
        left, right = expr.child_by_field_name("left"), expr.child_by_field_name("right")
        if op == "&&":
            return _and(evaluate(left, is_result), evaluate(right, is_result))
        if op == "||":
            return _or(evaluate(left, is_result), evaluate(right, is_result))
        if op in _COMPARE:
            if _refers(left, is_result) and _const(right) is not None:
                return _compare(op, _const(right))
            if _refers(right, is_result) and _const(left) is not None:
                return _compare(_MIRROR[op], _const(left))
    return unknown()


def _refers(node: Node, is_result: Callable[[Node], bool]) -> bool:
    while node.type == "parenthesized_expression" and node.named_child_count == 1:
        node = node.named_children[0]
    return is_result(node)


def case_value(case: Node) -> Optional[int]:
    value = case.child_by_field_name("value")
    return None if value is None else _const(value)


def is_error_test(t: Truth) -> bool:
    """The condition singles out failure (`pid < 0`, `pid == -1`)."""
    return t["error"] is True and t["child"] is False and t["parent"] is False
