"""Locals of the function that only the child region mentions.

A C89 function declares its loop counter and its argument vector at the
top (`int fd; char *vec[16];`), and old code walks a parameter with the
parameter itself (`*arg++`); when only the child mentions them, the parent
never reads them, so the child's stores cannot change what the parent
does, under vfork or fork.

Unless the function can run the child region again in the same call (a
loop around it, a `goto` back, setjmp): under vfork a later child then
starts from what the earlier one stored, under fork from the parent's
value.  There only a scalar the region sets on every path before it reads
it stays private.
"""
from __future__ import annotations

from typing import Optional

from codemod.engines.c.frontend.syntax import Node, call_name, declarators, index, line, statements, text, walk
from codemod.engines.c.proof import summaries

LOOPS = ("for_statement", "while_statement", "do_statement")
SETJMP = ("setjmp", "_setjmp", "sigsetjmp")


def child_locals(site, flatten) -> tuple:
    """(name -> declarator, name -> how the region runs again): the locals
    and parameters of ``site``'s function that only its child region
    mentions, and those that would be but for a later run of the region.
    A private array maps to its array_declarator (its elements are the
    function's own memory); a parameter never does (it is a pointer).
    Static, volatile, extern and address-taken variables never qualify.
    ``flatten`` opens the region's body into its statements."""
    body = site.function.child_by_field_name("body")
    lo = site.region.body[0].start_byte
    hi = site.region.body[-1].end_byte
    # A parameter is the function's own copy: storing to it (`arg++`) is a
    # local store; what it points to is not.
    candidates: dict = dict(summaries.parameter_idents(site.function))
    parameters = set(candidates)
    idx = index(site.function)
    for decl in idx.of("declaration"):
        if lo <= decl.start_byte < hi or not (body.start_byte <= decl.start_byte < body.end_byte):
            continue
        if any(c.type in ("storage_class_specifier", "type_qualifier") and text(c) in ("static", "volatile", "extern")
               for c in decl.children):
            continue
        for ident in declarators(decl):
            candidates[text(ident)] = ident
            parameters.discard(text(ident))
    again = runs_again(site, idx)
    private, repeated = {}, {}
    for name, decl_ident in candidates.items():
        uses = [n for n in idx.idents.get(name, [])
                if body.start_byte <= n.start_byte < body.end_byte and n != decl_ident]
        if not uses or not all(lo <= n.start_byte < hi for n in uses):
            continue
        if any(n.parent.type == "pointer_expression" and n.parent.child_by_field_name("operator").type == "&"
               for n in uses):
            continue
        array = name not in parameters and decl_ident.parent.type == "array_declarator"
        if again and (array or sets_first(flatten(site.region.body), name) is not True):
            repeated[name] = again
            continue
        private[name] = decl_ident.parent if array else decl_ident
    return private, repeated


def runs_again(site, idx) -> str:
    """How ``site``'s function (``idx``, its node index) can reach its
    child region a second time in one call ('' when it cannot): a loop
    around the region, a `goto` at or after the region's start to a label
    before it, or a setjmp anywhere."""
    start = site.region.body[0].start_byte
    body = site.function.child_by_field_name("body")
    node = site.region.body[0].parent
    while node is not None and node != body:
        if node.type in LOOPS:
            return f"inside the loop at line {line(node)}"
        node = node.parent
    before = {text(s.child_by_field_name("label")): s for s in idx.of("labeled_statement")
              if s.start_byte < start and s.child_by_field_name("label") is not None}
    for jump in idx.of("goto_statement"):
        label = jump.child_by_field_name("label")
        if jump.start_byte >= start and label is not None and text(label) in before:
            return (f"the `goto {text(label)}` at line {line(jump)} comes back to its label at line "
                    f"{line(before[text(label)])}")
    jumps = [c for c in idx.of("call_expression") if call_name(c) in SETJMP]
    return f"the function calls `{call_name(jumps[0])}` at line {line(jumps[0])}" if jumps else ""


def sets_first(stmts: list, name: str) -> Optional[bool]:
    """Whether the statements ``stmts``, run in order, store a value to
    ``name`` on every path before anything reads it (True), read it or may
    first (False), or never mention it (None).  A store is `name = value`
    with ``name`` not in the value, as a statement, a `for` statement's
    start or the first thing an `if` condition evaluates (`if ((fd =
    open(...)) < 0)`); an `if` whose branches both store counts."""
    for stmt in stmts:
        found = _statement(stmt, name)
        if found is not None:
            return found
    return None


def _statement(stmt: Node, name: str) -> Optional[bool]:
    if not _mentions(stmt, name):
        return None
    t = stmt.type
    if t == "expression_statement":
        return _stores(stmt.named_children[0], name) if stmt.named_child_count == 1 else False
    if t == "compound_statement":
        return sets_first(statements(stmt), name) is True
    if t == "for_statement":
        start = stmt.child_by_field_name("initializer")
        return start is not None and _mentions(start, name) and _stores(start, name)
    if t == "if_statement":
        condition = stmt.child_by_field_name("condition")
        if _mentions(condition, name):
            return _stores(condition, name)
        branches = [stmt.child_by_field_name("consequence"), stmt.child_by_field_name("alternative")]
        if branches[1] is not None and branches[1].type == "else_clause":
            branches[1] = branches[1].named_children[0] if branches[1].named_child_count else None
        return all(b is not None and _statement(b, name) is True for b in branches)
    return False


def _stores(expr: Node, name: str) -> bool:
    """Whether evaluating ``expr`` stores to ``name`` before reading it:
    its only mention is the left of a plain `=` whose value does not
    mention it, reached through parentheses, casts, comparisons and the
    left of `&&`, `||` and `,` (so it always runs)."""
    mentions = [n for n in walk(expr) if n.type == "identifier" and text(n) == name]
    if len(mentions) != 1:
        return False
    node = mentions[0]
    assign = node.parent
    if assign is None or assign.type != "assignment_expression" or assign.child_by_field_name("left") != node \
            or text(assign.child_by_field_name("operator")) != "=":
        return False
    node = assign
    while node != expr:
        parent = node.parent
        if parent is None:
            return False
        if parent.type == "binary_expression" and text(parent.child_by_field_name("operator")) in ("&&", "||") \
                and parent.child_by_field_name("left") != node:
            return False
        if parent.type == "comma_expression" and parent.child_by_field_name("left") != node:
            return False
        if parent.type not in ("parenthesized_expression", "cast_expression", "binary_expression",
                               "comma_expression", "condition_clause"):
            return False
        node = parent
    return True


def _mentions(node: Optional[Node], name: str) -> bool:
    return node is not None and any(n.type == "identifier" and text(n) == name for n in walk(node))
