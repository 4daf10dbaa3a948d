"""Prove what a Python child branch does (the same verdict rules as for C)."""
from __future__ import annotations

from dataclasses import dataclass

import libcst as cst

from codemod.core import region
from codemod.core.reasons import For
from codemod.engines.py import calls
from codemod.engines.py.sites import Module, PySite, Syntax, block_statements, call_name
from codemod.engines.py.spawnmatch import PySpawnMatcher, flatten

R = For("python")


@dataclass(frozen=True)
class Options:
    """What the Python analysis reads from a run's options."""

    exec_wrappers: tuple = ()      # project functions that exec or exit, never returning
    safe_functions: tuple = ()     # project functions a child may call


class PyChild(region.ChildBase):
    """What a Python child branch does (see codemod.core.region.ChildBase)."""


class _Checker:
    def __init__(self, mod: Module, site: PySite, outside_names: set, options: Options):
        self.mod = mod
        self.site = site
        self.outside = outside_names
        self.safe = set(options.safe_functions)
        self.wrappers = set(options.exec_wrappers)
        self.r = PyChild()

    def review(self, node, kind: str, **fields) -> None:
        self.r.review.append(R(kind, self.mod.line(node), **fields))

    def beyond(self, node, kind: str, **fields):
        reason = R(kind, self.mod.line(node), **fields)
        self.r.beyond_spawn.append(reason)
        return reason

    def statements(self, stmts: list, loops: int = 0) -> None:
        for s in stmts:
            self.statement(s, loops)

    def statement(self, s, loops: int) -> None:
        m = self.mod
        if isinstance(s, cst.SimpleStatementLine):
            for small in s.body:
                self.small(small, loops)
        elif isinstance(s, (cst.If,)):
            self.r.conditions[id(s)] = self.beyond(s, "condition", head=m.code(s.test))
            self.expression(s.test)
            self.statements(block_statements(s.body), loops)
            if s.orelse is not None:
                self.statement(s.orelse if isinstance(s.orelse, cst.If) else s.orelse, loops)
        elif isinstance(s, cst.Else):
            self.statements(block_statements(s.body), loops)
        elif isinstance(s, (cst.For, cst.While)):
            head = m.code(s.iter if isinstance(s, cst.For) else s.test)
            self.beyond(s, "loop", head=head)
            if isinstance(s, cst.For):
                self.assign_target(s.target, s)
            self.expression(s.iter if isinstance(s, cst.For) else s.test)
            self.statements(block_statements(s.body), loops + 1)
        elif isinstance(s, cst.Try):
            self.statements(block_statements(s.body), loops)
            for h in s.handlers:
                self.statements(block_statements(h.body), loops)
            if s.finalbody is not None:
                self.statements(block_statements(s.finalbody.body), loops)
            if s.orelse is not None:
                self.statements(block_statements(s.orelse.body), loops)
        elif isinstance(s, cst.With):
            self.beyond(s, "with-block")
            for item in s.items:
                self.expression(item.item)
            self.statements(block_statements(s.body), loops)
        else:
            self.review(s, "unanalysed-code", code=m.short(s))

    def small(self, node, loops: int) -> None:
        m = self.mod
        if isinstance(node, cst.Pass):
            return
        if isinstance(node, (cst.Return, cst.Raise)):
            self.review(node, "returns", stmt=m.code(node))
            return
        if isinstance(node, (cst.Break, cst.Continue)) and loops == 0:
            self.review(node, "leaves-region", stmt=m.code(node))
            return
        if isinstance(node, (cst.Break, cst.Continue)):
            return
        if isinstance(node, (cst.Import, cst.ImportFrom)):
            self.review(node, "imports", code=m.code(node))
            return
        if isinstance(node, (cst.Global, cst.Nonlocal, cst.Del)):
            self.review(node, "rebinds", code=m.code(node))
            return
        if isinstance(node, cst.Assign):
            for t in node.targets:
                self.assign_target(t.target, node)
            self.expression(node.value)
            return
        if isinstance(node, (cst.AugAssign, cst.AnnAssign)):
            self.assign_target(node.target, node)
            if node.value is not None:
                self.expression(node.value)
            return
        if isinstance(node, cst.Expr):
            self.expression(node.value)
            return
        self.review(node, "unanalysed-statement", code=m.code(node))

    def assign_target(self, target, stmt) -> None:
        m = self.mod
        if isinstance(target, cst.Name):
            if target.value in self.outside:
                self.review(stmt, "shared-write", stmt=m.code(stmt), name=target.value)
            return
        if isinstance(target, (cst.Tuple, cst.List)):
            for el in target.elements:
                self.assign_target(el.value, stmt)
            return
        if isinstance(target, cst.StarredElement):
            self.assign_target(target.value, stmt)
            return
        self.review(stmt, "shared-object-write", stmt=m.code(stmt), target=m.code(target))

    def expression(self, expr) -> None:
        checker = self

        class V(cst.CSTVisitor):
            def visit_Call(self, node):
                checker.call(node)

            def visit_NamedExpr(self, node):
                checker.assign_target(node.target, node)

            def visit_Lambda(self, node):
                return False
        expr.visit(V())

    def call(self, node: cst.Call) -> None:
        m = self.mod
        names = m.qualified(node.func)
        name = next(iter(sorted(names)), None)
        shown = m.code(node.func)
        if _configured(shown, names, self.safe):
            return
        if _configured(shown, names, self.wrappers):
            self.beyond(node, "exec-wrapper", name=shown)
            return
        if name in calls.SHARED or shown in calls.SHARED:
            key = name if name in calls.SHARED else shown
            if key == "builtins.print" and calls.prints_to_stderr(node):
                return
            what, kind = calls.SHARED[key]
            self.review(node, kind, name=shown, what=what)
            return
        if names & (set(calls.EXECS) | calls.EXITS | calls.SETUP | calls.SAFE | calls.DIAG):
            return
        if shown in calls.DIAG:
            return
        self.review(node, "unknown-function", name=shown)


def _configured(shown: str, qualified: set, names: set) -> bool:
    """A call matches a configured name by its text, qualified name or last part."""
    if not names:
        return False
    candidates = {shown, shown.rsplit(".", 1)[-1]} | qualified | {q.rsplit(".", 1)[-1] for q in qualified}
    return bool(candidates & names)


def analyse(mod: Module, site: PySite, outside_names: set, options: Options, origins=lambda wanted: ()) -> PyChild:
    checker = _Checker(mod, site, outside_names, options)
    body = site.region.body
    checker.statements(body)
    r = checker.r
    wrappers = frozenset(w.rsplit(".", 1)[-1] for w in checker.wrappers)
    if not r.review and not region.leaves(Syntax(mod), body,
                                          lambda call: call_name(call) in {"_exit", "abort"} | wrappers):
        r.review.append(R("falls-out", mod.line(body[-1])))
    if not r.review:
        r.plan = PySpawnMatcher(mod, r, origins).match(flatten(body), body)
    return r
