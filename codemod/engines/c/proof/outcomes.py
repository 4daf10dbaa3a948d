"""Evaluate C conditions for the three outcomes of vfork (see codemod.core.outcomes)."""
from __future__ import annotations

import contextvars
from typing import Callable, Optional

from codemod.engines.c.frontend.syntax import Node, text
from codemod.core.outcomes import COMPARE, MIRROR, Truth, both, compare, either, negate, result_truth, unknown


# Integer macros of the file being analysed (`#define NOTOK (-1)`, `case OK:`):
# a context value the engine sets around one file's analysis (see :class:`macros`).
_MACROS: contextvars.ContextVar = contextvars.ContextVar("c_integer_macros", default=None)


class macros:
    """``with macros(lookup):`` identifiers in pid tests and case labels are
    looked up (``lookup(name)`` -> int or None) while the block runs."""

    def __init__(self, lookup: Callable[[str], Optional[int]]):
        self.lookup = lookup

    def __enter__(self):
        self.token = _MACROS.set(self.lookup)

    def __exit__(self, *exc):
        _MACROS.reset(self.token)
        return False


def _const(node: Node) -> Optional[int]:
    """The integer value of a constant like `0`, `-1`, `(pid_t)-1`, `(0)`,
    or an integer macro of the file or the project (`NOTOK`)."""
    t = node.type
    lookup = _MACROS.get() if t == "identifier" else None
    if lookup is not None:
        return lookup(text(node))
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


def evaluate(expr: Node, is_result: Callable[[Node], bool]) -> Truth:
    """Evaluate a condition for each outcome; ``is_result`` recognises the vfork value."""
    t = expr.type
    if is_result(expr):
        return result_truth()
    if t == "parenthesized_expression" and expr.named_child_count == 1:
        return evaluate(expr.named_children[0], is_result)
    if t == "unary_expression" and expr.child_by_field_name("operator").type == "!":
        return negate(evaluate(expr.child_by_field_name("argument"), is_result))
    if t == "binary_expression":
        op = expr.child_by_field_name("operator").type
        left, right = expr.child_by_field_name("left"), expr.child_by_field_name("right")
        if op == "&&":
            return both(evaluate(left, is_result), evaluate(right, is_result))
        if op == "||":
            return either(evaluate(left, is_result), evaluate(right, is_result))
        if op in COMPARE:
            if _refers(left, is_result) and _const(right) is not None:
                return compare(op, _const(right))
            if _refers(right, is_result) and _const(left) is not None:
                return compare(MIRROR[op], _const(left))
    return unknown()


def _refers(node: Node, is_result: Callable[[Node], bool]) -> bool:
    while node.type == "parenthesized_expression" and node.named_child_count == 1:
        node = node.named_children[0]
    return is_result(node)


def case_value(case: Node) -> Optional[int]:
    value = case.child_by_field_name("value")
    return None if value is None else _const(value)
