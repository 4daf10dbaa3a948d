"""Match a safe Python child branch against os.posix_spawn: straight-line
set-up, one os.exec* call, a failure tail; and prove the set-up exact.

The set-up becomes steps for :mod:`codemod.engines.proofs` (descriptors, session
and group) and keyword attributes (signals).  In Python every failing call
raises, so a child whose set-up fails never reaches exec; the proofs use
that semantics.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

import libcst as cst

from codemod.core.reasons import For
from codemod.engines.proofs import descriptors as fds
from codemod.engines.proofs import sessions
from codemod.engines.py import calls
from codemod.engines.py.sites import Module, any_node, block_statements

R = For("python")
IMPURE = (cst.Call, cst.NamedExpr, cst.Lambda, cst.Yield, cst.Await)


@dataclass
class SpawnPlan:
    """The `os.posix_spawn` call a Python child region maps to, as source text."""

    function: str                 # posix_spawn or posix_spawnp
    path: str
    argv: str
    env: str
    file_actions: list = field(default_factory=list)   # source text of each tuple
    attrs: dict = field(default_factory=dict)          # keyword -> source text
    lines: list = field(default_factory=list)          # reasons describing the mapping


def _has(node, types) -> bool:
    return any_node(node, lambda n: isinstance(n, types))


def pure(node) -> bool:
    return not _has(node, IMPURE)


def pure_args(call: cst.Call) -> bool:
    return all(pure(a.value) for a in call.args)


def positional(call: cst.Call) -> bool:
    return all(a.keyword is None and not a.star for a in call.args)


def flatten(body: list) -> list:
    """Small statements of simple lines, compound statements as they are."""
    out = []
    for s in body:
        if isinstance(s, cst.SimpleStatementLine):
            out.extend(x for x in s.body if not isinstance(x, cst.Pass))
        else:
            out.append(s)
    return out


class PySpawnMatcher:
    """Reads the branch's statements in order; ``match`` returns the plan or
    None, having added a reason to ``result.beyond_spawn`` for each
    statement os.posix_spawn cannot express."""

    def __init__(self, mod: Module, result, origins=lambda wanted: ()):
        self.mod = mod
        self.r = result
        self.origins = origins
        self.fd_steps: list = []
        self.session_steps: list = []
        self.opens: dict = {}          # line -> (path, flags, mode)
        self.open_vars: set = set()
        self.sigdef: list = []
        self.attrs: dict = {}
        self.notes: list = []          # (line, text) for set-up that is not a file action
        self.accepted: set = set()
        self.failed: list = []

    def beyond(self, node, kind: str, **fields) -> None:
        self.failed.append(R(kind, self.mod.line(node), **fields))

    def match(self, nodes: list, body: list) -> Optional[SpawnPlan]:
        mod = self.mod
        plan = None
        for node in nodes:
            if plan is not None:
                if not _is_tail(mod, node):
                    self.beyond(node, "tail-not-failure", code=mod.short(node))
                else:
                    self.speaking(node)
                continue
            exec_call = _exec_of(mod, node)
            if exec_call is not None:
                plan = _exec_plan(mod, exec_call, node, self.beyond)
                if plan is None:
                    break
                if isinstance(node, cst.Try):
                    if not _try_is_tail(mod, node):
                        self.beyond(node, "try-around-exec")
                    else:
                        for handler in node.handlers:
                            for stmt in flatten(block_statements(handler.body)):
                                self.speaking(stmt)
                continue
            self.setup(node)
        if plan is None and not self.failed:
            self.beyond(body[-1], "does-not-exec")
        self.r.drop_conditions(self.accepted)
        if not self.failed and plan is not None and not self.r.beyond_spawn:
            self.prove(plan)
        for reason in self.failed:
            if not any(x.line == reason.line for x in self.r.beyond_spawn):
                self.r.beyond_spawn.append(reason)
        if self.failed or self.r.beyond_spawn or plan is None:
            return None
        return plan

    def speaking(self, node) -> None:
        """A failure-tail statement that tells why exec failed rules
        posix_spawn out: a failed spawn raises in the parent instead, and
        the message and the exit status would be lost (fork keeps them)."""
        q = self.mod.qualified(node.value.func)
        if not q & _SILENT:
            self.r.beyond_spawn.append(R("tail-says-something", self.mod.line(node), code=self.mod.short(node)))

    # -- set-up ----------------------------------------------------------------
    def setup(self, node) -> None:
        mod = self.mod
        if isinstance(node, cst.Assign) and isinstance(node.value, cst.Call) and len(node.targets) == 1 \
                and isinstance(node.targets[0].target, cst.Name) and "os.open" in mod.qualified(node.value.func):
            call = node.value
            if not (pure_args(call) and positional(call) and len(call.args) in (2, 3)):
                self.beyond(node, "open-not-repeatable", code=mod.short(node))
                return
            a = [mod.code(x.value) for x in call.args]
            var = node.targets[0].target.value
            line = mod.line(node)
            self.opens[line] = (a[0], a[1], a[2] if len(a) > 2 else "0o777")
            self.open_vars.add(var)
            self.fd_steps.append(fds.Open(var, line, mod.code(call), True))
            return
        if isinstance(node, cst.If):
            step = self.conditional(node)
            if step is not None:
                self.fd_steps.append(step)
                self.accepted.add(id(node))
                return
            self.beyond(node, "condition", head=mod.code(node.test))
            return
        call = node.value if isinstance(node, cst.Expr) and isinstance(node.value, cst.Call) else None
        if call is None or not pure_args(call) or not positional(call):
            self.beyond(node, "not-setup", code=mod.short(node))
            return
        step = self.fd_step(call)
        if step is not None:
            self.fd_steps.append(step)
            return
        q = mod.qualified(call.func)
        a = [mod.code(x.value) for x in call.args]
        line = mod.line(node)
        if "os.setsid" in q and not a:
            self.session_steps.append(sessions.Setsid(line, mod.code(call)))
        elif "os.setpgid" in q and len(a) == 2 and a[0] == "0":
            self.session_steps.append(sessions.Setpgid("0" if a[1] == "0" else a[1], line, mod.code(call)))
        elif "os.setpgrp" in q and not a:
            self.session_steps.append(sessions.Setpgid("0", line, mod.code(call)))
        elif "signal.signal" in q and len(a) == 2 and a[1] in ("signal.SIG_DFL", "SIG_DFL"):
            self.sigdef.append(a[0])
            self.notes.append((line, f"{a[0]} reset to SIG_DFL → setsigdef"))
        elif "signal.pthread_sigmask" in q and len(a) == 2 and a[0] in ("signal.SIG_SETMASK", "SIG_SETMASK"):
            self.attrs["setsigmask"] = a[1]
            self.notes.append((line, f"signal mask {a[1]} → setsigmask"))
        else:
            self.beyond(node, "no-spawn-equivalent", code=mod.short(node))

    def fd(self, expr) -> Optional[fds.Fd]:
        if isinstance(expr, cst.Integer):
            try:
                value = int(expr.value.replace("_", ""), 0)
            except ValueError:
                return None
            return fds.Fd(str(value), value)
        if isinstance(expr, (cst.Name, cst.Attribute, cst.Subscript)) and pure(expr):
            return fds.Fd(self.mod.code(expr))
        return None

    def fd_step(self, call: cst.Call):
        mod = self.mod
        q = mod.qualified(call.func)
        args = [self.fd(a.value) for a in call.args]
        if None in args or not positional(call):
            return None
        line = mod.line(call)
        if "os.close" in q and len(args) == 1:
            return fds.Close(args[0], line, mod.code(call))
        if "os.dup2" in q and len(args) == 2:
            return fds.Dup2(args[0], args[1], line, mod.code(call))
        return None

    def conditional(self, node: cst.If):
        """`if fd != n: os.dup2(fd, n); os.close(fd)` and `if fd > 2: os.close(fd)`."""
        if node.orelse is not None or not isinstance(node.test, cst.Comparison) or len(node.test.comparisons) != 1:
            return None
        left, target = node.test.left, node.test.comparisons[0]
        if not (isinstance(left, cst.Name) and left.value in self.open_vars):
            return None
        var = left.value
        inner = []
        for small in flatten(block_statements(node.body)):
            call = small.value if isinstance(small, cst.Expr) and isinstance(small.value, cst.Call) else None
            step = self.fd_step(call) if call is not None else None
            if step is None:
                return None
            inner.append(step)
        other = self.fd(target.comparator)
        line = self.mod.line(node)
        if isinstance(target.operator, cst.NotEqual) and other is not None and len(inner) == 2:
            return fds.Guard(var, other, tuple(inner), line, f"if {self.mod.code(node.test)}")
        bound = other.value if other is not None else None
        if isinstance(target.operator, (cst.GreaterThan, cst.GreaterThanEqual)) and bound is not None \
                and len(inner) == 1 and isinstance(inner[0], fds.Close) and inner[0].fd.text == var:
            bound = bound if isinstance(target.operator, cst.GreaterThan) else bound - 1
            return fds.CloseAbove(var, bound, line, f"if {self.mod.code(node.test)}")
        return None

    # -- proving -------------------------------------------------------------------
    def prove(self, plan: SpawnPlan) -> None:
        actions = []
        notes = list(self.notes)
        if self.fd_steps:
            steps = tuple(self.fd_steps)
            wanted = {fd.text for s in fds.flatten(steps) for fd in fds.descriptors_of(s) if fd.value is None} - self.open_vars
            proof = fds.prove(steps, tuple(self.origins(wanted)), "python")
            if not proof.exact:
                self.failed.append(R("descriptors-inexact", proof.line, detail=proof.reason))
                return
            for a in proof.actions:
                step = steps[a.step]
                if isinstance(a, fds.AddClose):
                    actions.append(f"(os.POSIX_SPAWN_CLOSE, {a.fd.text})")
                    notes.append((step.line, f"{step.stmt} → os.POSIX_SPAWN_CLOSE"))
                elif isinstance(a, fds.AddDup2):
                    actions.append(f"(os.POSIX_SPAWN_DUP2, {a.src.text}, {a.dst.text})")
                    notes.append((step.line, f"os.dup2({a.src.text}, {a.dst.text}) → os.POSIX_SPAWN_DUP2"))
                else:
                    path, flags, mode = self.opens[a.line]
                    actions.append(f"(os.POSIX_SPAWN_OPEN, {a.dst.text}, {path}, {_strip_cloexec(flags)}, {mode})")
                    notes.append((a.line, f"os.open({path}) moved onto fd {a.dst.text} → os.POSIX_SPAWN_OPEN"))
            notes += [R("left-out", s.line, stmt=s.stmt) for s in steps if isinstance(s, fds.Dup2) and s.src == s.dst]
        session = sessions.solve(tuple(self.session_steps), "python")
        if not session.exact:
            self.failed.append(R("session-inexact", session.line, detail=session.reason))
            return
        if session.setsid:
            self.attrs["setsid"] = "True"
            notes.append((self.session_steps[0].line, "os.setsid() → setsid=True"))
        if session.pgroup is not None:
            self.attrs["setpgroup"] = session.pgroup
            step = [s for s in self.session_steps if isinstance(s, sessions.Setpgid)][-1]
            notes.append((step.line, f"{step.stmt} → setpgroup={session.pgroup}"))
        notes += [R("session-left-out", ln, detail=why) for ln, why in session.dropped]
        if self.sigdef:
            self.attrs["setsigdef"] = "(" + ", ".join(self.sigdef) + ("," if len(self.sigdef) == 1 else "") + ")"
        plan.file_actions = actions
        plan.attrs = self.attrs
        plan.lines = sorted((n if not isinstance(n, tuple) else R("spawn-action", n[0], detail=n[1]) for n in notes),
                            key=lambda r: r.line)


def _strip_cloexec(flags: str) -> str:
    """os.open always makes a close-on-exec descriptor; the copy os.dup2
    makes never is one, so the addopen flags must not ask for it."""
    parts = [p.strip() for p in flags.split("|")]
    if "O_CLOEXEC" not in flags:
        if all(p.startswith(("os.O_", "O_")) or p.isdigit() for p in parts):
            return flags
        return f"({flags}) & ~os.O_CLOEXEC"
    if "(" in flags or not all(p.replace(".", "").replace("_", "").isalnum() for p in parts):
        return f"({flags}) & ~os.O_CLOEXEC"
    kept = [p for p in parts if p.rsplit(".", 1)[-1] != "O_CLOEXEC"]
    return " | ".join(kept) if kept else "0"


def _exec_of(mod: Module, node) -> Optional[cst.Call]:
    if isinstance(node, cst.Try) and len(node.body.body) == 1:
        inner = flatten(list(node.body.body))
        node = inner[0] if len(inner) == 1 else None
    if isinstance(node, cst.Expr) and isinstance(node.value, cst.Call) \
            and mod.qualified(node.value.func) & set(calls.EXECS):
        return node.value
    return None


def _try_is_tail(mod: Module, node: cst.Try) -> bool:
    bodies = [h.body for h in node.handlers] + ([node.finalbody.body] if node.finalbody else [])
    return node.orelse is None and all(_is_tail(mod, s) for b in bodies for s in flatten(block_statements(b)))


_SILENT = {"os._exit", "sys.stderr.flush"}     # failure-tail calls that say nothing


def _is_tail(mod: Module, node) -> bool:
    if not (isinstance(node, cst.Expr) and isinstance(node.value, cst.Call)):
        return False
    call = node.value
    q = mod.qualified(call.func)
    if q & (calls.EXITS | calls.DIAG) or mod.code(call.func) in calls.DIAG:
        return True
    if "os.write" in q and call.args and mod.code(call.args[0].value) in ("2", "sys.stderr.fileno()"):
        return True
    return "builtins.print" in q and calls.prints_to_stderr(call)


def _exec_plan(mod: Module, call: cst.Call, node, beyond) -> Optional[SpawnPlan]:
    (name,) = sorted(mod.qualified(call.func) & set(calls.EXECS))[:1]
    spawn, list_form, has_env = calls.EXECS[name]
    if not pure_args(call) or any(a.keyword is not None for a in call.args):
        beyond(node, "exec-arguments-unplain", name=mod.code(call.func))
        return None
    args = [a for a in call.args]
    texts = [("*" if a.star == "*" else "") + mod.code(a.value) for a in args]
    if any(a.star == "**" for a in args) or (has_env and args and args[-1].star):
        beyond(node, "exec-arguments-unpacked", name=mod.code(call.func))
        return None
    env = texts[-1] if has_env else "os.environ"
    if spawn == "posix_spawnp" and has_env and env != "os.environ":
        beyond(node, "exec-path-environment", name=mod.code(call.func))
        return None
    rest = texts[:-1] if has_env else texts
    if not rest:
        beyond(node, "exec-without-path", name=mod.code(call.func))
        return None
    if list_form:
        argv = "[" + ", ".join(rest[1:]) + "]"
    else:
        if len(rest) != 2 or rest[1].startswith("*"):
            beyond(node, "exec-argument-count", name=mod.code(call.func), n=len(rest))
            return None
        argv = rest[1]
    return SpawnPlan(spawn, rest[0], argv, env)
