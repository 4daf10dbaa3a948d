"""Prove what a Python child branch does (the same verdict rules as for C)."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

import libcst as cst

from codemod.core.model import Reason
from codemod.engines.py import calls
from codemod.engines.py.sites import Module, PySite, block_statements
from codemod.engines.py.spawnmatch import PySpawnMatcher, SpawnPlan, _has, flatten, pure



@dataclass
class PyChild:
    review: list = field(default_factory=list)
    beyond_spawn: list = field(default_factory=list)
    plan: Optional[SpawnPlan] = None
    # `if` statements named as beyond posix_spawn (id -> the reason in
    # beyond_spawn); the spawn matcher may read some as set-up after all.
    conditions: dict = field(default_factory=dict)

    def drop_conditions(self, accepted: set) -> None:
        gone = [self.conditions[k] for k in accepted if k in self.conditions]
        self.beyond_spawn = [r for r in self.beyond_spawn if not any(r is g for g in gone)]


class _Checker:
    def __init__(self, mod: Module, site: PySite, outside_names: set, options=None):
        self.mod = mod
        self.site = site
        self.outside = outside_names
        self.safe = set(getattr(options, "safe_functions", ()) or ())
        self.wrappers = set(getattr(options, "exec_wrappers", ()) or ())
        self.r = PyChild()

    def review(self, node, msg):
        self.r.review.append(Reason(self.mod.line(node), msg))

    def beyond(self, node, msg) -> Reason:
        reason = Reason(self.mod.line(node), msg)
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
            self.r.conditions[id(s)] = self.beyond(
                s, f"condition `if {m.code(s.test)}`: os.posix_spawn runs no code in the child")
            self.expression(s.test)
            self.statements(block_statements(s.body), loops)
            if s.orelse is not None:
                self.statement(s.orelse if isinstance(s.orelse, cst.If) else s.orelse, loops)
        elif isinstance(s, cst.Else):
            self.statements(block_statements(s.body), loops)
        elif isinstance(s, (cst.For, cst.While)):
            head = m.code(s.iter if isinstance(s, cst.For) else s.test)
            self.beyond(s, f"loop over `{head}`: os.posix_spawn runs no code in the child")
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
            self.beyond(s, "`with` block: os.posix_spawn runs no code in the child")
            for item in s.items:
                self.expression(item.item)
            self.statements(block_statements(s.body), loops)
        else:
            self.review(s, f"`{m.code(s)[:60]}` defines or runs code the tool does not analyse in a child")

    def small(self, node, loops: int) -> None:
        m = self.mod
        if isinstance(node, cst.Pass):
            return
        if isinstance(node, (cst.Return, cst.Raise)):
            self.review(node, f"`{m.code(node)}` leaves the child branch: the child would run on in the "
                              "parent's code")
            return
        if isinstance(node, (cst.Break, cst.Continue)) and loops == 0:
            self.review(node, f"`{m.code(node)}` leaves the child branch")
            return
        if isinstance(node, (cst.Break, cst.Continue)):
            return
        if isinstance(node, (cst.Import, cst.ImportFrom)):
            self.review(node, f"`{m.code(node)}` changes sys.modules, shared with the parent")
            return
        if isinstance(node, (cst.Global, cst.Nonlocal, cst.Del)):
            self.review(node, f"`{m.code(node)}` changes names the parent can see")
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
        self.review(node, f"`{m.code(node)}` is not something the tool analyses in a child")

    def assign_target(self, target, stmt) -> None:
        m = self.mod
        if isinstance(target, cst.Name):
            if target.value in self.outside:
                self.review(stmt, f"`{m.code(stmt)}` assigns to `{target.value}`, which the parent also "
                                  "uses: under vfork it sees the store, after the rewrite it would not")
            return
        if isinstance(target, (cst.Tuple, cst.List)):
            for el in target.elements:
                self.assign_target(el.value, stmt)
            return
        if isinstance(target, cst.StarredElement):
            self.assign_target(target.value, stmt)
            return
        self.review(stmt, f"`{m.code(stmt)}` writes `{m.code(target)}`, an object shared with the parent")

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
            self.beyond(node, f"`{shown}()` is a project exec wrapper (configuration): "
                              "os.posix_spawn cannot call it")
            return
        if name in calls.SHARED or shown in calls.SHARED:
            key = name if name in calls.SHARED else shown
            if key == "builtins.print" and _prints_to_stderr(node):
                return
            self.review(node, f"`{shown}()` writes {calls.SHARED[key]}")
            return
        if names & (set(calls.EXECS) | calls.EXITS | calls.SETUP | calls.SAFE | calls.DIAG):
            return
        if shown in calls.DIAG:
            return
        self.review(node, f"`{shown}()` is not a function the tool knows: it may write memory the parent shares")


def _configured(shown: str, qualified: set, names: set) -> bool:
    """A call matches a configured name by its text, qualified name or last part."""
    if not names:
        return False
    candidates = {shown, shown.rsplit(".", 1)[-1]} | qualified | {q.rsplit(".", 1)[-1] for q in qualified}
    return bool(candidates & names)


def _prints_to_stderr(call: cst.Call) -> bool:
    return any(a.keyword is not None and a.keyword.value == "file"
               and isinstance(a.value, cst.Attribute) and a.value.attr.value == "stderr"
               and isinstance(a.value.value, cst.Name) and a.value.value.value == "sys"
               for a in call.args)


def leaves(stmts: list, wrappers: frozenset = frozenset()) -> bool:
    """Every path through ``stmts`` ends in os._exit/os.abort, a configured
    exec wrapper, or leaves otherwise."""
    if not stmts:
        return False
    last = stmts[-1]
    if isinstance(last, cst.SimpleStatementLine):
        small = last.body[-1]
        if isinstance(small, (cst.Return, cst.Raise, cst.Break, cst.Continue)):
            return True
        return isinstance(small, cst.Expr) and isinstance(small.value, cst.Call) \
            and _call_name(small.value) in {"_exit", "abort"} | wrappers
    if isinstance(last, cst.Try):
        if last.finalbody is not None and leaves(block_statements(last.finalbody.body), wrappers):
            return True
        return leaves(block_statements(last.body), wrappers) and all(
            leaves(block_statements(h.body), wrappers) for h in last.handlers)
    if isinstance(last, cst.If):
        other = [last.orelse] if isinstance(last.orelse, cst.If) else (
            block_statements(last.orelse.body) if last.orelse is not None else None)
        return other is not None and leaves(block_statements(last.body), wrappers) and leaves(other, wrappers)
    if isinstance(last, cst.While) and isinstance(last.test, cst.Name) and last.test.value == "True":
        return not _has(last, (cst.Break,))
    return False


def _call_name(call: cst.Call) -> str:
    f = call.func
    return f.attr.value if isinstance(f, cst.Attribute) else getattr(f, "value", "")


def analyse(mod: Module, site: PySite, outside_names: set, options=None, origins=lambda wanted: ()) -> PyChild:
    checker = _Checker(mod, site, outside_names, options)
    body = site.region.body
    checker.statements(body)
    r = checker.r
    wrappers = frozenset(w.rsplit(".", 1)[-1] for w in checker.wrappers)
    if not r.review and not leaves(body, wrappers):
        r.review.append(Reason(mod.line(body[-1]), "the child can run past the end of its branch "
                                                   "(every path must end in os._exit)"))
    if not r.review:
        r.plan = _match_spawn(mod, body, r, origins)
    return r


# --------------------------------------------------------------------------

def _match_spawn(mod: Module, body: list, r: PyChild, origins=lambda wanted: ()) -> Optional[SpawnPlan]:
    return PySpawnMatcher(mod, r, origins).match(flatten(body), body)
