"""Prove what a Python child branch does (the same verdict rules as for C)."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

import libcst as cst

from codemod.model import Reason
from codemod.py import calls
from codemod.py.sites import Module, PySite, any_node, block_statements

IMPURE = (cst.Call, cst.NamedExpr, cst.Lambda, cst.Yield, cst.Await)


@dataclass
class SpawnPlan:
    function: str                 # posix_spawn or posix_spawnp
    path: str
    argv: str
    env: str
    file_actions: list = field(default_factory=list)   # source text of each tuple
    attrs: dict = field(default_factory=dict)          # keyword -> source text
    lines: list = field(default_factory=list)          # reasons describing the mapping


@dataclass
class PyChild:
    review: list = field(default_factory=list)
    beyond_spawn: list = field(default_factory=list)
    plan: Optional[SpawnPlan] = None


def _has(node, types) -> bool:
    return any_node(node, lambda n: isinstance(n, types))


def pure(node) -> bool:
    return not _has(node, IMPURE)


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

    def beyond(self, node, msg):
        self.r.beyond_spawn.append(Reason(self.mod.line(node), msg))

    def statements(self, stmts: list, loops: int = 0) -> None:
        for s in stmts:
            self.statement(s, loops)

    def statement(self, s, loops: int) -> None:
        m = self.mod
        if isinstance(s, cst.SimpleStatementLine):
            for small in s.body:
                self.small(small, loops)
        elif isinstance(s, (cst.If,)):
            self.beyond(s, f"condition `if {m.code(s.test)}`: os.posix_spawn runs no code in the child")
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


def analyse(mod: Module, site: PySite, outside_names: set, options=None) -> PyChild:
    checker = _Checker(mod, site, outside_names, options)
    body = site.region.body
    checker.statements(body)
    r = checker.r
    wrappers = frozenset(w.rsplit(".", 1)[-1] for w in checker.wrappers)
    if not r.review and not leaves(body, wrappers):
        r.review.append(Reason(mod.line(body[-1]), "the child can run past the end of its branch "
                                                   "(every path must end in os._exit)"))
    if not r.review:
        r.plan = _match_spawn(mod, body, r)
    return r


# --------------------------------------------------------------------------

def _flatten(body: list) -> list:
    out = []
    for s in body:
        if isinstance(s, cst.SimpleStatementLine):
            out.extend(x for x in s.body if not isinstance(x, cst.Pass))
        else:
            out.append(s)
    return out


def _match_spawn(mod: Module, body: list, r: PyChild) -> Optional[SpawnPlan]:
    actions, attrs, notes = [], {}, []
    sigdef = []
    pending = None      # (var, path, flags, mode, target)
    plan = None
    failed = []

    def beyond(node, msg):
        failed.append(Reason(mod.line(node), msg))

    for node in _flatten(body):
        if plan is not None:
            if not _is_tail(mod, node):
                beyond(node, f"`{mod.code(node)[:60]}` after exec is more than a failure tail")
            continue
        exec_call = _exec_of(mod, node)
        if exec_call is not None:
            plan = _exec_plan(mod, exec_call, node, beyond)
            if plan is None:
                break
            if isinstance(node, cst.Try) and not _try_is_tail(mod, node):
                beyond(node, "the `try` around exec does more than report the failure")
            continue
        call = node.value if isinstance(node, cst.Expr) and isinstance(node.value, cst.Call) else None
        if isinstance(node, cst.Assign) and isinstance(node.value, cst.Call) and len(node.targets) == 1 \
                and isinstance(node.targets[0].target, cst.Name) \
                and "os.open" in mod.qualified(node.value.func) and pure_args(node.value) and pending is None:
            a = [mod.code(x.value) for x in node.value.args]
            pending = [node.targets[0].target.value, a[0], a[1], a[2] if len(a) > 2 else "0o777", None, node]
            continue
        if call is None or not pure_args(call):
            beyond(node, f"`{mod.code(node)[:60]}` is not os.posix_spawn set-up")
            continue
        q = mod.qualified(call.func)
        a = [mod.code(x.value) for x in call.args]
        if pending is not None:
            var = pending[0]
            if "os.dup2" in q and len(a) == 2 and a[0] == var and pending[4] is None:
                pending[4] = a[1]
                continue
            if "os.close" in q and a == [var] and pending[4] is not None:
                actions.append(f"(os.POSIX_SPAWN_OPEN, {pending[4]}, {pending[1]}, {pending[2]}, {pending[3]})")
                notes.append(Reason(mod.line(pending[5]), f"os.open({pending[1]}) moved onto fd {pending[4]} "
                                                          "→ os.POSIX_SPAWN_OPEN"))
                pending = None
                continue
            beyond(node, f"the descriptor `{var}` from os.open must be moved with os.dup2 and closed")
            pending = None
            continue
        if "os.dup2" in q and len(a) == 2:
            actions.append(f"(os.POSIX_SPAWN_DUP2, {a[0]}, {a[1]})")
            notes.append(Reason(mod.line(node), f"os.dup2({a[0]}, {a[1]}) → os.POSIX_SPAWN_DUP2"))
        elif "os.close" in q and len(a) == 1:
            actions.append(f"(os.POSIX_SPAWN_CLOSE, {a[0]})")
            notes.append(Reason(mod.line(node), f"os.close({a[0]}) → os.POSIX_SPAWN_CLOSE"))
        elif "os.setsid" in q and not a:
            attrs["setsid"] = "True"
            notes.append(Reason(mod.line(node), "os.setsid() → setsid=True"))
        elif "os.setpgid" in q and len(a) == 2 and a[0] == "0":
            attrs["setpgroup"] = a[1]
            notes.append(Reason(mod.line(node), f"os.setpgid(0, {a[1]}) → setpgroup={a[1]}"))
        elif "signal.signal" in q and len(a) == 2 and a[1] in ("signal.SIG_DFL", "SIG_DFL"):
            sigdef.append(a[0])
            notes.append(Reason(mod.line(node), f"{a[0]} reset to SIG_DFL → setsigdef"))
        elif "signal.pthread_sigmask" in q and len(a) == 2 and a[0] in ("signal.SIG_SETMASK", "SIG_SETMASK"):
            attrs["setsigmask"] = a[1]
            notes.append(Reason(mod.line(node), f"signal mask {a[1]} → setsigmask"))
        else:
            beyond(node, f"`{mod.code(node)[:60]}` has no os.posix_spawn equivalent")
    if plan is None and not failed:
        beyond(body[-1], "the child does not exec: os.posix_spawn always does")
    if pending is not None:
        beyond(pending[5], f"the descriptor `{pending[0]}` from os.open is not moved with os.dup2 and closed")
    for reason in failed:
        if not any(x.line == reason.line for x in r.beyond_spawn):
            r.beyond_spawn.append(reason)
    if failed or r.beyond_spawn or plan is None:
        return None
    if sigdef:
        attrs["setsigdef"] = "(" + ", ".join(sigdef) + ("," if len(sigdef) == 1 else "") + ")"
    plan.file_actions = actions
    plan.attrs = attrs
    plan.lines = notes
    return plan


def pure_args(call: cst.Call) -> bool:
    return all(pure(a.value) for a in call.args)


def _exec_of(mod: Module, node) -> Optional[cst.Call]:
    if isinstance(node, cst.Try) and len(node.body.body) == 1:
        inner = _flatten(list(node.body.body))
        node = inner[0] if len(inner) == 1 else None
    if isinstance(node, cst.Expr) and isinstance(node.value, cst.Call) \
            and mod.qualified(node.value.func) & set(calls.EXECS):
        return node.value
    return None


def _try_is_tail(mod: Module, node: cst.Try) -> bool:
    bodies = [h.body for h in node.handlers] + ([node.finalbody.body] if node.finalbody else [])
    return node.orelse is None and all(_is_tail(mod, s) for b in bodies for s in _flatten(block_statements(b)))


def _is_tail(mod: Module, node) -> bool:
    if not (isinstance(node, cst.Expr) and isinstance(node.value, cst.Call)):
        return False
    call = node.value
    q = mod.qualified(call.func)
    if q & (calls.EXITS | calls.DIAG) or mod.code(call.func) in calls.DIAG:
        return True
    if "os.write" in q and call.args and mod.code(call.args[0].value) in ("2", "sys.stderr.fileno()"):
        return True
    return "builtins.print" in q and _prints_to_stderr(call)


def _exec_plan(mod: Module, call: cst.Call, node, beyond) -> Optional[SpawnPlan]:
    (name,) = sorted(mod.qualified(call.func) & set(calls.EXECS))[:1]
    spawn, list_form, has_env = calls.EXECS[name]
    if not pure_args(call) or any(a.keyword is not None for a in call.args):
        beyond(node, f"the arguments of `{mod.code(call.func)}` are not plain expressions")
        return None
    args = [a for a in call.args]
    texts = [("*" if a.star == "*" else "") + mod.code(a.value) for a in args]
    if any(a.star == "**" for a in args) or (has_env and args and args[-1].star):
        beyond(node, f"`{mod.code(call.func)}` is called with unpacked arguments")
        return None
    env = texts[-1] if has_env else "os.environ"
    rest = texts[:-1] if has_env else texts
    if not rest:
        beyond(node, f"`{mod.code(call.func)}` without a path")
        return None
    if list_form:
        argv = "[" + ", ".join(rest[1:]) + "]"
    else:
        if len(rest) != 2 or rest[1].startswith("*"):
            beyond(node, f"`{mod.code(call.func)}` called with {len(rest)} arguments")
            return None
        argv = rest[1]
    return SpawnPlan(spawn, rest[0], argv, env)
