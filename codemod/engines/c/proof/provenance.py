"""What the code before vfork proves about the descriptors a child uses.

A descriptor variable is known to be open at the vfork when the function
creates it (``pipe``, ``open``, ``socket``...), checks the creation for
failure with a branch that always leaves, and nothing between that check
and the vfork can close it or change it: no other mention of the variable,
no call of a function that closes descriptors or that the tool does not
know, no label (a jump could arrive from elsewhere), and no loop around the
vfork that the creation is outside of, unless that loop leaves it alone too.
Everything else (parameters, globals, unchecked creations) is unknown, and
the descriptor proof then considers it closed or invalid as well.
"""
from __future__ import annotations

import re
from typing import Callable, Optional

from codemod.engines.c.frontend.syntax import Node, arguments, call_name, index, line, squash, statements, text, unparen
from codemod.engines.proofs.descriptors import Origin

# name: (how the descriptors come back, index of the flags argument, the flag
# that sets close-on-exec); "array" fills fds[0] and fds[1] through argument
# ``out``, "value" returns one descriptor.
_CREATORS = {
    "pipe": ("array", 0, None, None),
    "pipe2": ("array", 0, 1, "O_CLOEXEC"),
    "socketpair": ("array", 3, 1, "SOCK_CLOEXEC"),
    "open": ("value", None, 1, "O_CLOEXEC"),
    "openat": ("value", None, 2, "O_CLOEXEC"),
    "creat": ("value", None, None, None),
    "dup": ("value", None, None, None),
    "socket": ("value", None, 1, "SOCK_CLOEXEC"),
    "accept": ("value", None, None, None),
    "accept4": ("value", None, 3, "SOCK_CLOEXEC"),
}
# Calls that can close or replace a descriptor of the parent.
_CLOSERS = {"close", "dup2", "dup3", "closefrom", "close_range", "fclose", "fcloseall", "freopen", "pclose"}
_LOOPS = {"for_statement", "while_statement", "do_statement"}
FAILURE = -1
SUCCESS_FD = (0, 1, 2, 3, 1000)


def origins(site, wanted: set, known_function: Callable[[str], bool], leaves: Callable[[Node], bool]) -> tuple:
    """(text, Origin) pairs for the descriptor expressions in ``wanted``
    (squashed texts such as ``fds[1]``) that are provably open at the vfork.
    ``known_function(name)`` tells a function the tool knows; ``leaves(stmt)``
    that control never gets past ``stmt``."""
    if not wanted or site.function is None:
        return ()
    found: dict = {}
    path_node = site.anchor
    body = site.function.child_by_field_name("body")
    region = (site.region.body[0].start_byte, site.region.body[-1].end_byte) if site.region else (0, 0)
    node = path_node
    while node is not None and node != body:
        parent = node.parent
        if parent is None:
            break
        if parent.type in ("compound_statement", "case_statement") or parent.type.startswith("preproc_"):
            siblings = statements(parent)
            if node in siblings:
                before = siblings[: siblings.index(node)]
                for pos in range(len(before) - 1, -1, -1):
                    _creation(before, pos, wanted, found, leaves)
        node = parent
    out = []
    for key, (origin, start, base) in sorted(found.items()):
        cloexec = _between_ok(site, key, base, start, region, known_function, origin.cloexec)
        if cloexec != "invalid":
            out.append((key, Origin(cloexec, origin.line, origin.how)))
    return tuple(out)


def _creation(before: list, pos: int, wanted: set, found: dict, leaves) -> None:
    """Record the descriptors statement ``before[pos]`` creates and checks."""
    stmt = before[pos]
    nxt = before[pos + 1] if pos + 1 < len(before) else None
    if stmt.type == "if_statement" and stmt.child_by_field_name("alternative") is None \
            and leaves(stmt.child_by_field_name("consequence")):
        cond = stmt.child_by_field_name("condition")
        for call, target in _creator_calls(cond):
            if tests_failure(cond, call):
                _record(call, target, stmt, wanted, found)
        return
    call, target = _assigned_creation(stmt)
    if call is None or target is None or nxt is None or nxt.type != "if_statement":
        return
    if nxt.child_by_field_name("alternative") is None and leaves(nxt.child_by_field_name("consequence")):
        cond = nxt.child_by_field_name("condition")
        if tests_failure(cond, target):
            _record(call, target, nxt, wanted, found)


def _creator_calls(cond: Node) -> list:
    """(call, assigned variable or None) for each creator call in a condition."""
    out = []
    stack = [cond]
    while stack:
        n = stack.pop()
        if n.type == "call_expression" and call_name(n) in _CREATORS:
            parent = n.parent
            while parent is not None and parent.type == "parenthesized_expression":
                parent = parent.parent
            target = None
            if parent is not None and parent.type == "assignment_expression" \
                    and unparen(parent.child_by_field_name("right")) == n:
                target = parent.child_by_field_name("left")
            out.append((n, target))
            continue
        stack.extend(n.named_children)
    return out


def _assigned_creation(stmt: Node) -> tuple:
    """`fd = open(...);` or `int fd = open(...);`: (call, the variable node)."""
    if stmt.type == "expression_statement" and stmt.named_children:
        expr = stmt.named_children[0]
        if expr.type == "assignment_expression" and expr.child_by_field_name("operator").type == "=":
            value = unparen(expr.child_by_field_name("right"))
            if value is not None and value.type == "call_expression" and call_name(value) in _CREATORS:
                return value, expr.child_by_field_name("left")
    if stmt.type == "declaration":
        decls = stmt.children_by_field_name("declarator")
        if len(decls) == 1 and decls[0].type == "init_declarator":
            value = unparen(decls[0].child_by_field_name("value"))
            if value is not None and value.type == "call_expression" and call_name(value) in _CREATORS:
                return value, decls[0].child_by_field_name("declarator")
    return None, None


def _record(call: Node, target: Optional[Node], checked_by: Node, wanted: set, found: dict) -> None:
    name = call_name(call)
    kind, out_arg, flags_arg, marker = _CREATORS[name]
    args = arguments(call)
    if name == "fcntl":
        return
    cloexec: Optional[bool] = False
    if flags_arg is not None:
        if flags_arg >= len(args):
            cloexec = False if marker == "O_CLOEXEC" else None
        else:
            cloexec = _flag(text(args[flags_arg]), marker)
    how = " ".join(text(call).split())
    if kind == "array":
        if out_arg >= len(args) or unparen(args[out_arg]).type != "identifier":
            return
        base = squash(unparen(args[out_arg]))
        for i in (0, 1):
            key = f"{base}[{i}]"
            if key in wanted and key not in found:
                found[key] = (Origin(cloexec, line(call), how), checked_by.end_byte, base)
        return
    if target is None or target.type != "identifier":
        return
    key = squash(target)
    if key in wanted and key not in found:
        found[key] = (Origin(cloexec, line(call), how), checked_by.end_byte, key)


def _flag(flags: str, marker: str) -> Optional[bool]:
    words = re.findall(r"[A-Za-z_][A-Za-z0-9_]*", flags)
    if marker in words:
        return True
    prefix = marker.split("_")[0] + "_"
    if all(w.startswith(prefix) for w in words):
        return False
    return None


def tests_failure(cond: Node, subject: Node, successes: Optional[tuple] = None) -> bool:
    """``cond`` is true when ``subject`` (a call or a variable) is -1 and
    false for every success value (``successes``; by default those of the
    call: 0 for pipe(), else any descriptor); other creator calls in it succeed."""
    if successes is None:
        pipe_like = subject.type == "call_expression" and _CREATORS.get(call_name(subject), ("",))[0] == "array"
        successes = (0,) if pipe_like else SUCCESS_FD
    if value_with(cond, subject, FAILURE) is not True:
        return False
    return all(value_with(cond, subject, v) is False for v in successes)


def value_with(expr: Node, subject: Node, value: int):
    """Evaluate ``expr`` with ``subject`` = ``value`` and every other call
    succeeding (0); None when it cannot be evaluated."""
    t = expr.type
    if expr == subject or (subject.type == "identifier" and t == "identifier" and text(expr) == text(subject)):
        return value
    if t == "parenthesized_expression" and expr.named_child_count == 1:
        return value_with(expr.named_children[0], subject, value)
    if t == "assignment_expression":
        right = unparen(expr.child_by_field_name("right"))
        return value_with(right, subject, value) if right is not None else None
    if t == "call_expression" and call_name(expr) in _CREATORS:
        return 0
    if t == "number_literal":
        try:
            return int(text(expr).rstrip("uUlL"), 0)
        except ValueError:
            return None
    if t == "unary_expression":
        arg = value_with(expr.child_by_field_name("argument"), subject, value)
        op = expr.child_by_field_name("operator").type
        if arg is None or isinstance(arg, bool) and op == "-":
            return None
        return {"-": lambda x: -x, "!": lambda x: not x, "+": lambda x: x}.get(op, lambda x: None)(arg)
    if t == "binary_expression":
        op = expr.child_by_field_name("operator").type
        a = value_with(expr.child_by_field_name("left"), subject, value)
        b = value_with(expr.child_by_field_name("right"), subject, value)
        if a is None or b is None:
            return None
        ops = {"<": a < b, ">": a > b, "<=": a <= b, ">=": a >= b, "==": a == b, "!=": a != b,
               "&&": bool(a) and bool(b), "||": bool(a) or bool(b)}
        return ops.get(op)
    return None


def _between_ok(site, key: str, base: str, start: int, region: tuple, known_function, cloexec):
    """The close-on-exec state at the vfork, or "invalid" when something
    between ``start`` and the vfork may close or change the descriptor."""
    fn = site.function
    idx = index(fn)
    spans = [(start, site.call.start_byte)]
    for a in _ancestors(site.anchor, fn):
        if a.type in _LOOPS and a.start_byte < start < a.end_byte:
            break
        if a.type in _LOOPS:
            spans.append((a.start_byte, a.end_byte))
    state = cloexec
    for lo, hi in spans:
        for kind in ("labeled_statement",):
            if any(not _inside(n, region) for n in idx.within(kind, lo, hi)):
                return "invalid"
        for call in idx.within("call_expression", lo, hi):
            if _inside(call, region) or call == site.call:
                continue
            name = call_name(call)
            if name == "fcntl" and _sets_cloexec(call, base) is not None:
                if squash(arguments(call)[0]) == key:
                    state = _sets_cloexec(call, base)
                continue
            if name is None or name in _CLOSERS or not known_function(name):
                return "invalid"
        for ident in idx.within("identifier", lo, hi):
            if _inside(ident, region) or text(ident) != base:
                continue
            if _in_fcntl_cloexec(ident, base):
                continue
            return "invalid"
    return state


def _ancestors(node: Node, stop: Node):
    p = node
    while p is not None and p != stop:
        yield p
        p = p.parent


def _inside(node: Node, region: tuple) -> bool:
    return region[0] <= node.start_byte < region[1]


def _sets_cloexec(call: Node, base: str) -> Optional[bool]:
    """`fcntl(fd, F_SETFD, FD_CLOEXEC)` → True, `fcntl(fd, F_SETFD, 0)` → False."""
    args = arguments(call)
    if len(args) != 3 or text(args[1]).strip() != "F_SETFD":
        return None
    if squash(args[0]).split("[")[0] != base:
        return None
    value = squash(args[2])
    return True if value == "FD_CLOEXEC" else False if value == "0" else None


def _in_fcntl_cloexec(ident: Node, base: str) -> bool:
    p = ident.parent
    while p is not None and p.type in ("subscript_expression", "parenthesized_expression"):
        p = p.parent
    if p is None or p.type != "argument_list":
        return False
    call = p.parent
    return call is not None and call_name(call) == "fcntl" and _sets_cloexec(call, base) is not None
