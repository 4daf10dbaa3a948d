"""Prove what a child region does.

The analysis walks every statement of the region and sorts what it finds:

* ``review`` reasons: the region writes memory declared outside it, calls a
  function the tool does not know, leaves the region, can fall out of it, is
  split by ``#if``.  Any such reason makes the site a review site.
* ``beyond_spawn`` reasons: all is safe under fork, but posix_spawn cannot
  express it (a loop, a condition, ``umask``, ``signal(s, SIG_IGN)``...).
* otherwise a :class:`SpawnPlan`: the set-up actions in order and the exec.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Optional

from codemod.core import region
from codemod.core.reasons import For
from codemod.engines.c import libc
from codemod.engines.c.libc import Kind
from codemod.engines.c.sites import SYNTAX
from codemod.engines.c.spawnmatch import NULL_POINTERS, SpawnMatcher
from codemod.engines.c.syntax import Node, arguments, call_name, declarators, line, short, statements, text, unparen

R = For("c")


class ChildAnalysis(region.ChildBase):
    """What the child region does (see :class:`codemod.core.region.ChildBase`),
    with C's own parts: `exit` calls to rename, the region's variables, and
    whether its text could be read at all."""

    def __init__(self):
        super().__init__()
        self.exit_calls: list = []     # `exit` tokens to rename to `_exit`
        self.locals: dict = {}         # name -> declarator node
        self.unreadable = False        # ERROR nodes or #if inside: no rewrite may be proposed
        self.private: set = set()      # outer locals only the region mentions
        self.handoffs: list = []       # Handoff: values stored for the parent after a failed exec
        self.handoff_vars: list = []   # their variables (codemod.engines.c.handoff.Variable), once each


@dataclass(frozen=True)
class Handoff:
    """`exec_errno = errno;` after a failed exec: a value the child stores
    for the parent to read (see codemod.engines.c.handoff)."""

    name: str          # the variable, declared outside the region
    stmt: Node         # the expression statement
    assignment: Node   # its assignment expression


@dataclass(frozen=True)
class Options:
    target: str = "glibc"          # "glibc" or "posix"
    gnu_source: bool = False       # _GNU_SOURCE defined before the first include
    aliases: tuple = ()            # project names that behave like vfork
    exec_wrappers: tuple = ()      # project functions that exec or exit, never returning
    safe_functions: tuple = ()     # project functions a child may call
    spawnp: bool = False           # execvp & co. may become posix_spawnp (no /bin/sh fallback)

    def lookup(self, name: Optional[str]) -> Optional[libc.Spec]:
        return libc.lookup(name or "", self.exec_wrappers, self.safe_functions)


def flatten(body: list) -> list:
    """The region's top-level statements (a lone block is opened up)."""
    if len(body) == 1 and body[0].type == "compound_statement":
        return statements(body[0])
    return [s for s in body if s.type != "comment"]


def analyse(body: list, options: Options, private: Optional[dict] = None,
            origins: Callable[[set], tuple] = lambda wanted: ()) -> ChildAnalysis:
    """Analyse the region ``body``.  ``private`` maps the names of function
    locals that only this region mentions to their declarators: the parent
    can never observe the child's writes to them.  ``origins(names)`` says
    which descriptor variables the code before vfork proves open
    (see :mod:`codemod.engines.c.provenance`)."""
    result = ChildAnalysis()
    result.private = set(private or {})
    result.locals.update(private or {})
    stmts = flatten(body)
    checker = _Checker(result, options, private or {}, _handoff_candidates(stmts, options))
    for stmt in body:
        checker.visit(stmt, loops=0, switches=0)
    if not result.review and not region.leaves(SYNTAX, stmts, lambda call: _never_returns(call, options.lookup)):
        last = stmts[-1] if stmts else body[-1]
        result.review.append(R("falls-out", line(last) if stmts else line(body[0]), last=short(last)))
    if result.handoffs and not result.review:
        result.beyond_spawn += [R("handoff", line(h.stmt), stmt=short(h.stmt), name=h.name) for h in result.handoffs]
    elif not result.review:
        result.plan = SpawnMatcher(result, options, origins).match(stmts)
    return result


def _handoff_candidates(stmts: list, options: Options) -> dict:
    """Assignments of errno or a constant to a plain variable, made at the
    region's top level after its first exec (start byte -> statement)."""
    out: dict = {}
    after_exec = False
    for stmt in stmts:
        expr = stmt.named_children[0] if stmt.type == "expression_statement" and stmt.named_children else None
        if expr is None:
            continue
        if expr.type == "call_expression":
            spec = options.lookup(call_name(expr))
            after_exec = after_exec or (spec is not None and spec.kind is Kind.EXEC)
            continue
        if after_exec and expr.type == "assignment_expression" and expr.child_by_field_name("operator").type == "=" \
                and unparen(expr.child_by_field_name("left")).type == "identifier" \
                and _handoff_value(expr.child_by_field_name("right")):
            out[expr.start_byte] = stmt
    return out


_INTEGER = re.compile(r"^[-+]?(0[xX][0-9a-fA-F]+|[0-9]+)[uUlL]*$")


def _handoff_value(node: Node) -> bool:
    """`errno` or an integer constant (`1`, `-1`, `'x'`, `(int)2`)."""
    node = unparen(node)
    if node.type == "identifier":
        return text(node) == "errno"
    if node.type == "char_literal":
        return True
    if node.type == "number_literal":
        return _INTEGER.match(text(node)) is not None
    if node.type == "unary_expression" and node.child_by_field_name("operator").type in ("-", "+", "~"):
        return _handoff_value(node.child_by_field_name("argument")) and \
            unparen(node.child_by_field_name("argument")).type != "identifier"
    if node.type == "cast_expression":
        return _handoff_value(node.child_by_field_name("value"))
    return False


# --------------------------------------------------------------------------
# Safety: what the child writes, calls and where control goes.

_STATIC = object()   # in a scope: a static or extern variable, shared with the parent


class _Checker:
    """One pass over the region: what it writes, calls and where control
    goes.  Names are resolved through the block scopes seen so far, so a
    write after a nested block that declared the same name is a write to
    the outer variable."""

    def __init__(self, result: ChildAnalysis, options: Options, private: dict, handoffs: Optional[dict] = None):
        self.r = result
        self.options = options
        self.scopes: list = [dict(private), {}]
        self.handoffs = handoffs or {}

    def local(self, name: str):
        """The declarator of the region's variable ``name`` in scope here,
        _STATIC for a static one, None for a variable of the parent's."""
        for scope in reversed(self.scopes):
            if name in scope:
                return scope[name]
        return None

    def declare(self, decl: Node) -> None:
        shared = any(c.type == "storage_class_specifier" and text(c) in ("static", "extern")
                     for c in decl.children)
        for d in declarators(decl):
            node = d.parent if d.parent.type == "array_declarator" else d
            self.r.locals[text(d)] = node
            self.scopes[-1][text(d)] = _STATIC if shared else node

    def review(self, node: Node, kind: str, **fields) -> None:
        self.r.review.append(R(kind, line(node), **fields))

    def beyond(self, node: Node, kind: str, **fields):
        reason = R(kind, line(node), **fields)
        self.r.beyond_spawn.append(reason)
        return reason

    def visit(self, node: Node, loops: int, switches: int) -> None:
        t = node.type
        if node.is_missing:
            self.r.unreadable = True
            where = node.parent if node.parent is not None else node
            self.review(node, "missing-node", code=short(where), missing=t)
            return
        if t == "ERROR":
            self.r.unreadable = True
            self.review(node, "error-node", code=short(node))
            return
        if t.startswith("preproc_"):
            self.r.unreadable = True
            self.review(node, "preproc-in-child", directive=text(node).splitlines()[0].strip())
            return
        if t == "return_statement":
            self.review(node, "returns", stmt=short(node))
            return
        if t == "goto_statement":
            self.review(node, "leaves-region", stmt=short(node))
            return
        if t == "break_statement" and loops == 0 and switches == 0:
            self.review(node, "leaves-region", stmt="break")
            return
        if t == "continue_statement" and loops == 0:
            self.review(node, "leaves-region", stmt="continue")
            return
        if t in ("for_statement", "while_statement", "do_statement"):
            self.beyond(node, "loop", head=_head(node))
            loops += 1
        elif t == "if_statement":
            self.r.conditions[node.start_byte] = self.beyond(node, "condition", head=_head(node))
        elif t == "conditional_expression":
            self.beyond(node, "condition", head=_head(node))
        elif t == "switch_statement":
            self.beyond(node, "switch", head=_head(node))
            switches += 1
        elif t in ("assignment_expression", "update_expression"):
            target = node.child_by_field_name("left") if t == "assignment_expression" \
                else node.child_by_field_name("argument")
            self.check_write(node, target)
        elif t == "call_expression":
            self.check_call(node)
        elif t == "declaration":
            self.declare(node)
        scoped = t in ("compound_statement", "for_statement")
        if scoped:
            self.scopes.append({})
        for child in node.children:
            self.visit(child, loops, switches)
        if scoped:
            self.scopes.pop()

    def check_write(self, node: Node, target: Node, via: str = "") -> None:
        problem = self.outer_target(target)
        if problem:
            kind, fields = problem
            name = text(unparen(target))
            if not via and node.start_byte in self.handoffs and kind in ("shared-write", "static-write") \
                    and name != "errno":
                self.r.handoffs.append(Handoff(name, self.handoffs[node.start_byte], node))
                return
            fields.setdefault("name", name)
            self.review(node, kind, stmt=short(node), via=via, **fields)

    def outer_target(self, target: Node) -> Optional[tuple]:
        """(reason kind, fields) when writing ``target`` touches memory
        outside the region, else None."""
        t = target.type
        if t == "parenthesized_expression" and target.named_child_count == 1:
            return self.outer_target(unparen(target))
        if t == "identifier":
            name = text(target)
            local = self.local(name)
            if local is _STATIC:
                return "static-write", {"name": name}
            if local is not None:
                return None
            if name == "errno":
                return "shared-write", {"target": "errno, which the child shares with the parent's thread"}
            return "shared-write", {"target": f"`{name}`, declared outside the child region"}
        if t == "field_expression":
            base = target.child_by_field_name("argument")
            if target.child_by_field_name("operator").type == "->":
                return "pointer-write", {"target": f"through the pointer `{text(base)}`"}
            return self.outer_target(base)
        if t == "subscript_expression":
            base = target.child_by_field_name("argument")
            local = self.local(text(base)) if base.type == "identifier" else None
            if local is not None and local is not _STATIC and local.type == "array_declarator":
                return None
            return "pointer-write", {"target": f"through `{text(base)}`"}
        if t == "pointer_expression":
            return "pointer-write", {"target": f"through the pointer `{text(target.child_by_field_name('argument'))}`"}
        return "pointer-write", {"target": f"`{text(target)}`"}

    def check_call(self, call: Node) -> None:
        name = call_name(call)
        if name is None:
            self.review(call, "function-pointer", call=short(call))
            return
        if name in ("vfork", "fork", "clone", "posix_spawn", "posix_spawnp", "system", "popen"):
            self.review(call, "spawns-again", name=name)
            return
        spec = self.options.lookup(name)
        if spec is libc.EXEC_WRAPPER:
            self.beyond(call, "exec-wrapper", name=name)
            return
        if spec is None:
            self.review(call, "unknown-function", name=name)
            return
        args = arguments(call)
        if spec.kind is Kind.SHARED:
            self.review(call, libc.WRITES_KIND[spec.writes], name=name, what=spec.writes)
            return
        if spec.kind is Kind.ESCAPE:
            self.review(call, "escapes", name=name)
            return
        if name in libc.STREAM_ARG:
            idx = libc.STREAM_ARG[name]
            stream = text(args[idx]) if idx < len(args) else "?"
            if stream not in libc.STDERR_STREAMS:
                self.review(call, "stdio-stream", name=name, stream=stream)
            return
        if name == "exit":
            self.r.exit_calls.append(call.child_by_field_name("function"))
        if spec.kind is Kind.EXEC and name not in libc.EXECS:
            self.beyond(call, "no-spawn-equivalent", code=f"{name}()")
        for idx in spec.out_args:
            if idx < len(args) and not _null(args[idx]):
                self.check_pointer_arg(call, args[idx], idx)

    def check_pointer_arg(self, call: Node, arg: Node, idx: int) -> None:
        """``arg`` is a pointer the callee writes through: `&x`, or an array name."""
        arg = unparen(arg)
        if arg.type == "pointer_expression" and arg.child_by_field_name("operator").type == "&":
            self.check_write(call, arg.child_by_field_name("argument"), via=f"through argument {idx + 1}, ")
            return
        local = self.local(text(arg)) if arg.type == "identifier" else None
        if local is not None and local is not _STATIC and local.type == "array_declarator":
            return
        self.review(call, "pointer-arg-write", call=short(call), n=idx + 1, arg=text(arg))


def _null(arg: Node) -> bool:
    return "".join(text(arg).split()) in NULL_POINTERS


def _never_returns(call: Node, lookup) -> bool:
    spec = lookup(call_name(call))
    return spec is not None and spec.kind is Kind.EXIT


def _head(node: Node) -> str:
    """`while (x)` for a loop, `if (x)` for an if: the text before the body."""
    body = node.child_by_field_name("body") or node.child_by_field_name("consequence")
    if body is None:
        return short(node)
    head = node.text[: body.start_byte - node.start_byte].decode("utf-8", "replace")
    return " ".join(head.split())


