"""Match a safe child region against the posix_spawn shape: straight-line
set-up, one exec, a failure tail; and prove the set-up exact.

Each set-up statement becomes a step of one kind of process state:
descriptors (close, dup2, open moved onto a descriptor), session and
process group (setsid, setpgid), signals (dispositions reset to SIG_DFL,
the mask) and the working directory.  A set-up call may be checked
(``if (dup2(fd, 1) < 0) _exit(1);``): then its failure ends the child,
which is what a failing posix_spawn does.  The descriptor and session
steps are handed to :mod:`codemod.engines.proofs`, which translates them and
proves the translation gives the started program the same state in every
run in which the child reaches exec.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable, Optional

from codemod.engines.c.project import libc
from codemod.engines.c.project.libc import Kind
from codemod.engines.c.proof.provenance import tests_failure
from codemod.engines.c.frontend.syntax import (
    Node, arguments, call_name, declarators, has_inner, line, null_pointer, short, squash, text, unparen, walk,
)
from codemod.core.reasons import For
from codemod.engines.proofs import descriptors as fds
from codemod.engines.proofs import sessions

R = For("c")

SIDE_EFFECTS = {"call_expression", "assignment_expression", "update_expression"}
STD_FILENOS = {"STDIN_FILENO": 0, "STDOUT_FILENO": 1, "STDERR_FILENO": 2}
# Successful return values, to recognise a check of a set-up call's result.
_SUCCESS = {"close": (0,), "setpgid": (0,), "chdir": (0,), "setpgrp": (0,), "setsid": (1000,)}


@dataclass(frozen=True)
class Action:
    """One posix_spawn file action or attribute; args are C source text."""

    op: str        # adddup2 addclose addopen addchdir_np setpgroup setsigdef setsigmask setsid
    args: tuple = ()
    line: int = 0
    note: str = ""   # what the translation had to know, for the reason text
    checked: bool = False   # a failing add call fails the spawn (the child checked the call)


@dataclass
class ExecCall:
    """The child's exec call, read as posix_spawn's arguments."""

    node: Node
    spec: libc.ExecSpec
    path: str
    argv: Optional[str]          # the argv expression (execv*), or None for execl*
    arg_list: list               # execl*: the argument texts, without the NULL terminator
    env: Optional[str]


@dataclass
class SpawnPlan:
    """The posix_spawn call a C child region maps to."""

    actions: list
    exec: ExecCall
    moved_decls: list = field(default_factory=list)   # region declarations the spawn needs
    used_names: set = field(default_factory=set)      # identifiers the spawn code reads
    notes: list = field(default_factory=list)         # reasons for set-up left out or changed


def pure(node: Node) -> bool:
    return not has_inner(node, SIDE_EFFECTS)


class SpawnMatcher:
    """Reads the region's statements in order; ``match`` returns the plan
    or None, having added a reason to ``result.beyond_spawn`` for each
    statement posix_spawn cannot express."""

    def __init__(self, result, options, origins: Callable[[set], tuple] = lambda wanted: ()):
        self.r = result
        self.options = options
        self.origins = origins
        self.attrs: list = []            # signal and mask actions
        self.file_order: list = []       # ("fd", step index) or ("chdir", Action), in the child's order
        self.fd_steps: list = []
        self.session_steps: list = []
        self.opens: dict = {}            # line -> (path, flags, mode, cloexec) of each open
        self.open_vars: set = set()
        self.moved: list = []
        self.sigaction_vars: dict = {}   # name -> handler is SIG_DFL
        self.accepted: set = set()       # start bytes of `if` statements read as set-up
        self.failed = False

    def beyond(self, node: Node, kind: str, **fields) -> None:
        # The safety walk may already have named this line (a loop, a
        # condition); a condition read as set-up gets this, the precise reason.
        reason = R(kind, line(node), **fields)
        conditions = list(self.r.conditions.values())
        for i, r in enumerate(self.r.beyond_spawn):
            if r.line == reason.line:
                if any(r is c for c in conditions) and r.text != reason.text:
                    self.r.beyond_spawn[i] = reason
                break
        else:
            self.r.beyond_spawn.append(reason)
        self.failed = True

    def match(self, stmts: list) -> Optional[SpawnPlan]:
        exec_call: Optional[ExecCall] = None
        for stmt in stmts:
            if exec_call is None:
                call = _call_of(stmt)
                if call is not None and call_name(call) in libc.EXECS:
                    exec_call = self.exec_call(call)
                    continue
                self.setup(stmt)
            else:
                self.tail(stmt)
        if exec_call is None and not self.failed and stmts:
            self.beyond(stmts[-1], "does-not-exec")
        self.r.drop_conditions(self.accepted)
        if self.failed or exec_call is None or self.r.beyond_spawn:
            return None
        actions, notes = self.prove()
        if actions is None or self.r.beyond_spawn:
            return None
        used = set()
        for a in actions:
            used |= _names(" ".join(a.args))
        used |= _names(" ".join([exec_call.path, exec_call.argv or "", exec_call.env or ""] + exec_call.arg_list))
        # Keep the child's declarations the spawn reads (and what they read).
        moved = []
        for decl in reversed(self.moved):
            if {text(d) for d in declarators(decl)} & used:
                moved.insert(0, decl)
                used |= _names(text(decl))
        declared = {text(d) for decl in moved for d in declarators(decl)}
        stranded = (used & (set(self.r.locals) - self.r.private)) - declared
        if stranded:
            name = sorted(stranded)[0]
            self.beyond(self.r.locals[name], "computed-in-child", name=name)
            return None
        return SpawnPlan(actions, exec_call, moved, used, notes)

    # -- proving ---------------------------------------------------------------
    def prove(self) -> tuple:
        """(actions in posix_spawn's terms, notes), or (None, None) with a reason."""
        notes: list = []
        fd_actions: list = []
        if self.fd_steps:
            steps = tuple(self.fd_steps)
            wanted = {fd.text for s in fds.flatten(steps) for fd in fds.descriptors_of(s) if fd.value is None}
            wanted -= self.open_vars
            proof = fds.prove(steps, tuple(self.origins(wanted)), "c")
            if not proof.exact:
                self.r.beyond_spawn.append(R("descriptors-inexact", proof.line, detail=proof.reason))
                return None, None
            fd_actions = list(proof.actions)
            notes += [R("left-out", s.line, stmt=s.stmt) for s in steps if isinstance(s, fds.Dup2) and s.src == s.dst]
        plan = sessions.solve(tuple(self.session_steps), "c")
        if not plan.exact:
            self.r.beyond_spawn.append(R("session-inexact", plan.line, detail=plan.reason))
            return None, None
        notes += [R("session-left-out", ln, detail=why) for ln, why in plan.dropped]
        file_actions = []
        done = 0
        for kind, item in self.file_order:
            if kind == "fd":
                while done < len(fd_actions) and fd_actions[done].step <= item:
                    file_actions.append(self.fd_action(fd_actions[done]))
                    done += 1
            else:
                file_actions.append(item)
        file_actions += [self.fd_action(a) for a in fd_actions[done:]]
        session = []
        if plan.setsid:
            sid = next(s for s in self.session_steps if isinstance(s, sessions.Setsid))
            session.append(Action("setsid", (), sid.line))
        if plan.pgroup is not None:
            pg = [s for s in self.session_steps if isinstance(s, sessions.Setpgid) and s.group == plan.pgroup][-1]
            session.append(Action("setpgroup", (plan.pgroup,), pg.line))
        return file_actions + session + self.attrs, notes

    def fd_action(self, a) -> Action:
        if isinstance(a, fds.AddClose):
            return Action("addclose", (a.fd.text,), self.fd_steps[a.step].line, checked=a.checked)
        if isinstance(a, fds.AddDup2):
            return Action("adddup2", (a.src.text, a.dst.text), self.fd_steps[a.step].line, checked=a.checked)
        path, flags, mode, cloexec = self.opens[a.line]
        note = " (O_CLOEXEC left out: the child's dup2 copy never has it)" if cloexec is not False else ""
        return Action("addopen", (a.dst.text, path, _strip_cloexec(flags, cloexec), mode), a.line, note,
                      checked=a.checked)

    # -- set-up ------------------------------------------------------------
    def setup(self, stmt: Node) -> None:
        if stmt.type == "declaration":
            self.declaration(stmt)
            return
        if stmt.type == "if_statement":
            self.conditional(stmt)
            return
        if stmt.type == "expression_statement" and stmt.named_children \
                and stmt.named_children[0].type == "assignment_expression":
            assign = stmt.named_children[0]
            if self.sigaction_field(assign):
                return
            opened = _assigned_open(assign)
            if opened is not None:
                self.open_step(text(assign.child_by_field_name("left")), opened, stmt, checked=False)
                return
        call = _call_of(stmt)
        if call is None:
            self.beyond(stmt, "not-setup", code=short(stmt))
            return
        self.setup_call(call, stmt, checked=False)

    def setup_call(self, call: Node, stmt: Node, checked: bool) -> None:
        name = call_name(call)
        args = arguments(call)
        if not all(pure(a) for a in args):
            self.beyond(call, "side-effect-arguments", code=short(call))
            return
        a = [text(x) for x in args]
        handler = getattr(self, "map_" + (name or ""), None)
        spec = self.options.lookup(name)
        if handler is None or spec is None or spec.kind is not Kind.SETUP:
            if name in ("memset", "sigemptyset") and a and self.sigaction_var(a[0]) and not checked:
                return
            self.beyond(call, "no-spawn-equivalent", code=short(call))
            return
        handler(call, args, a, checked)

    def declaration(self, decl: Node) -> None:
        decls = decl.children_by_field_name("declarator")
        type_text = "".join(text(decl.child_by_field_name("type")).split())
        if type_text == "structsigaction" and all(d.type in ("identifier", "init_declarator") for d in decls):
            for d in declarators(decl):
                self.sigaction_vars[text(d)] = False
            return
        if len(decls) == 1 and decls[0].type == "init_declarator":
            inner = unparen(decls[0].child_by_field_name("value"))
            if inner is not None and inner.type == "call_expression" and call_name(inner) == "open":
                self.open_step(text(declarators(decl)[0]), inner, decl, checked=False)
                return
        if pure(decl):
            self.moved.append(decl)
            return
        self.beyond(decl, "not-setup", code=short(decl))

    def open_step(self, var: str, call: Node, stmt: Node, checked: bool) -> None:
        args = arguments(call)
        if len(args) not in (2, 3) or not all(pure(x) for x in args):
            self.beyond(call, "open-not-repeatable", code=short(call))
            return
        a = [text(x) for x in args]
        cloexec = _cloexec_flag(a[1])
        self.opens[line(call)] = (a[0], a[1], a[2] if len(a) == 3 else "0", cloexec)
        self.open_vars.add(var)
        self.add_fd(fds.Open(var, line(call), short(call), cloexec, checked))

    def add_fd(self, step) -> None:
        self.fd_steps.append(step)
        self.file_order.append(("fd", len(self.fd_steps) - 1))

    def conditional(self, stmt: Node) -> None:
        """`if` statements that are set-up: a checked call, a check of an
        opened descriptor, a guarded move, `if (fd > 2) close(fd)`."""
        cond = stmt.child_by_field_name("condition")
        cons = stmt.child_by_field_name("consequence")
        taken = None
        failed_before, self.failed = self.failed, False
        if stmt.child_by_field_name("alternative") is None:
            taken = self.read_conditional(stmt, unparen(cond), cons)
        if taken and not self.failed:
            self.accepted.add(stmt.start_byte)
        elif not self.failed:
            self.failed = True
            if stmt.start_byte not in self.r.conditions:      # the safety walk names it otherwise
                self.beyond(stmt, "condition", head=short(cond))
        self.failed = self.failed or failed_before

    def read_conditional(self, stmt: Node, cond: Node, cons: Node) -> Optional[bool]:
        """True when ``stmt`` was read as set-up, None when it is not set-up."""
        calls = [n for n in walk(cond) if n.type == "call_expression"]
        if len(calls) == 1 and self.is_failure_tail(cons):
            call = calls[0]
            name = call_name(call)
            holder = call.parent
            while holder is not None and holder.type == "parenthesized_expression":
                holder = holder.parent
            if name == "open" and holder is not None and holder.type == "assignment_expression":
                var = text(holder.child_by_field_name("left"))
                if tests_failure(cond, holder, (0, 1, 2, 3, 1000)):
                    self.open_step(var, call, stmt, checked=True)
                    self.speaking(cons, "open")
                    return True
                return None
            successes = _SUCCESS.get(name)
            if name == "dup2":
                args = arguments(call)
                target = _fd(args[1]) if len(args) == 2 else None
                successes = (target.value,) if target is not None and target.value is not None else None
            if successes is not None and tests_failure(cond, call, successes):
                self.setup_call(call, stmt, checked=True)
                self.speaking(cons, name)
                return True
            return None
        if calls:
            return None
        # Conditions on an opened descriptor.
        if cond.type != "binary_expression":
            return None
        op = cond.child_by_field_name("operator").type
        left, right = unparen(cond.child_by_field_name("left")), unparen(cond.child_by_field_name("right"))
        var, other, op = _var_side(left, right, op, self.open_vars)
        if var is None:
            return None
        body = [s for s in (cons.named_children if cons.type == "compound_statement" else [cons])
                if s.type != "comment"]
        if op in ("<", "==") and self.is_failure_tail(cons) and tests_failure(cond, _ident(cond, var),
                                                                               (0, 1, 2, 3, 1000)):
            self.add_fd(fds.ExitIfInvalid(var, line(stmt), short(stmt)))
            self.speaking(cons, "open")
            return True
        if op == "!=" and len(body) == 2:
            target = _fd(other)
            inner = [self.simple_fd_step(s) for s in body]
            if target is not None and all(inner):
                self.add_fd(fds.Guard(var, target, tuple(inner), line(stmt), f"if ({short(cond)})"))
                return True
        if op in (">", ">=") and len(body) == 1:
            bound = _const(other)
            inner = self.simple_fd_step(body[0])
            if bound is not None and isinstance(inner, fds.Close) and inner.fd.text == var:
                self.add_fd(fds.CloseAbove(var, bound if op == ">" else bound - 1, line(stmt), short(stmt)))
                return True
        return None

    def simple_fd_step(self, stmt: Node):
        call = _call_of(stmt)
        if call is None:
            return None
        name, args = call_name(call), arguments(call)
        if name == "close" and len(args) == 1 and _fd(args[0]) is not None:
            return fds.Close(_fd(args[0]), line(call), short(call))
        if name == "dup2" and len(args) == 2 and _fd(args[0]) is not None and _fd(args[1]) is not None:
            return fds.Dup2(_fd(args[0]), _fd(args[1]), line(call), short(call))
        return None

    def speaking(self, branch: Node, name: str) -> None:
        """A checked set-up call whose failure branch tells why it failed
        rules posix_spawn out, as a speaking exec-failure tail does."""
        for stmt in (branch.named_children if branch.type == "compound_statement" else [branch]):
            call = _call_of(stmt)
            if call is not None and call_name(call) not in libc.SILENT_EXITS:
                self.r.beyond_spawn.append(R("setup-failure-says-something", line(stmt), code=short(stmt),
                                             name=name))

    def is_failure_tail(self, node: Node) -> bool:
        body = [s for s in (node.named_children if node.type == "compound_statement" else [node])
                if s.type != "comment"]
        if not body:
            return False
        for i, stmt in enumerate(body):
            call = _call_of(stmt)
            spec = self.options.lookup(call_name(call)) if call is not None else None
            if spec is None or spec.kind not in (Kind.DIAG, Kind.EXIT) or spec is libc.EXEC_WRAPPER \
                    or spec.review is not None:
                return False
            if name_in_streams(call) is False:
                return False
            if i == len(body) - 1 and spec.kind is not Kind.EXIT:
                return False
        return True

    def sigaction_var(self, arg: str) -> Optional[str]:
        s = "".join(arg.split())
        for name in self.sigaction_vars:
            if s in (f"&{name}", f"&{name}.sa_mask", f"&({name}.sa_mask)"):
                return name
        return None

    def sigaction_field(self, assign: Node) -> bool:
        left = assign.child_by_field_name("left")
        if left.type != "field_expression":
            return False
        base = text(left.child_by_field_name("argument"))
        if base not in self.sigaction_vars or left.child_by_field_name("operator").type != ".":
            return False
        fld = text(left.child_by_field_name("field"))
        value = "".join(text(assign.child_by_field_name("right")).split())
        if fld == "sa_handler":
            self.sigaction_vars[base] = value == "SIG_DFL"
        elif not (fld == "sa_flags" and value == "0"):
            self.sigaction_vars[base] = False
        return True

    # Each map_<name>(call, argument nodes, argument texts, checked).
    def map_dup2(self, call, args, a, checked):
        src, dst = _fd(args[0]), _fd(args[1]) if len(args) == 2 else None
        if src is None or dst is None:
            self.beyond(call, "descriptor-unknown", code=short(call))
            return
        self.add_fd(fds.Dup2(src, dst, line(call), short(call), checked))

    def map_close(self, call, args, a, checked):
        fd = _fd(args[0]) if len(args) == 1 else None
        if fd is None:
            self.beyond(call, "descriptor-unknown", code=short(call))
            return
        self.add_fd(fds.Close(fd, line(call), short(call), checked))

    def map_open(self, call, args, a, checked):
        self.beyond(call, "open-not-kept")

    def map_setpgid(self, call, args, a, checked):
        if len(a) == 2 and a[0].strip() == "0":
            group = "0" if _const(args[1]) == 0 else squash(args[1])
            self.session_steps.append(sessions.Setpgid(group, line(call), short(call), checked))
        else:
            self.beyond(call, "setpgid-other", code=short(call))

    def map_setpgrp(self, call, args, a, checked):
        if a:
            self.beyond(call, "setpgrp-bsd", code=short(call))
            return
        self.session_steps.append(sessions.Setpgid("0", line(call), short(call), checked))

    def map_signal(self, call, args, a, checked):
        if len(a) == 2 and a[1].strip() == "SIG_DFL":
            self.attrs.append(Action("setsigdef", (a[0],), line(call)))
        else:
            self.beyond(call, "signal-not-default", code=short(call))

    def map_sigaction(self, call, args, a, checked):
        var = self.sigaction_var(a[1]) if len(a) == 3 else None
        if var is not None and self.sigaction_vars[var] and null_pointer(args[2]):
            self.attrs.append(Action("setsigdef", (a[0],), line(call)))
        else:
            self.beyond(call, "sigaction-unproven", code=short(call))

    def map_sigprocmask(self, call, args, a, checked):
        if len(a) == 3 and a[0].strip() == "SIG_SETMASK" and null_pointer(args[2]) \
                and not (_names(a[1]) & set(self.r.locals)):
            self.attrs.append(Action("setsigmask", (a[1],), line(call)))
        else:
            self.beyond(call, "sigprocmask-form", code=short(call))

    map_pthread_sigmask = map_sigprocmask

    def gnu_only(self, call, what: str, since: str) -> bool:
        if self.options.target != "glibc":
            self.beyond(call, "target-posix", code=short(call), what=what)
            return False
        if not self.options.gnu_source:
            self.beyond(call, "needs-gnu-source", code=short(call), what=what, since=since)
            return False
        return True

    def map_chdir(self, call, args, a, checked):
        if not self.gnu_only(call, "posix_spawn_file_actions_addchdir_np", "glibc 2.29"):
            return
        if not checked:
            self.beyond(call, "chdir-unchecked", code=short(call))
            return
        self.file_order.append(("chdir", Action("addchdir_np", (a[0],), line(call), checked=True)))

    def map_setsid(self, call, args, a, checked):
        if self.opens:
            self.beyond(call, "setsid-after-open")
            return
        if self.gnu_only(call, "POSIX_SPAWN_SETSID", "glibc 2.26"):
            self.session_steps.append(sessions.Setsid(line(call), short(call), checked))

    # -- exec and tail -------------------------------------------------------
    def exec_call(self, call: Node) -> Optional[ExecCall]:
        name = call_name(call)
        spec = libc.EXECS[name]
        args = arguments(call)
        for x in args:
            if not pure(x):
                self.beyond(call, "exec-argument-side-effects", arg=text(x), name=name)
                return None
        if spec.spawn == "posix_spawnp" and not self.options.spawnp:
            self.beyond(call, "execvp-shell-fallback", name=name)
            return None
        texts = [text(x) for x in args]
        if spec.list_form:
            tail = 2 if spec.has_env else 1
            if len(texts) < 1 + tail or not null_pointer(args[-tail]):
                self.beyond(call, "exec-list-unterminated", name=name)
                return None
            env = texts[-1] if spec.has_env else None
            return ExecCall(call, spec, texts[0], None, texts[1:-tail], env)
        if len(texts) != (3 if spec.has_env else 2):
            self.beyond(call, "exec-argument-count", name=name, n=len(texts))
            return None
        return ExecCall(call, spec, texts[0], texts[1], [], texts[2] if spec.has_env else None)

    def tail(self, stmt: Node) -> None:
        """A statement after the exec: the failure tail.  Only a silent
        exit of the C library keeps posix_spawn: a tail that says something
        (a diagnostic, a helper such as `die()`) would be lost, since a
        failed posix_spawn reports to the parent instead; fork keeps the
        message, the exit status and the helper's call."""
        call = _call_of(stmt)
        spec = self.options.lookup(call_name(call)) if call is not None else None
        if spec is None or spec.kind not in (Kind.DIAG, Kind.EXIT) or spec.review is not None:
            self.beyond(stmt, "tail-not-failure", code=short(stmt))
        elif call_name(call) not in libc.SILENT_EXITS:
            self.r.beyond_spawn.append(R("tail-says-something", line(stmt), code=short(stmt)))


def name_in_streams(call: Node) -> Optional[bool]:
    """For a stream function (fprintf...): whether it writes to stderr; None otherwise."""
    name = call_name(call)
    if name not in libc.STREAM_ARG:
        return None
    args = arguments(call)
    idx = libc.STREAM_ARG[name]
    return idx < len(args) and text(args[idx]) in libc.STDERR_STREAMS


def _call_of(stmt: Node) -> Optional[Node]:
    """The call a statement makes for its effect: `f(x);` or `(void) f(x);`."""
    if stmt.type != "expression_statement" or not stmt.named_children:
        return None
    expr = stmt.named_children[0]
    if expr.type == "cast_expression" and squash(expr.child_by_field_name("type")) == "void":
        expr = unparen(expr.child_by_field_name("value"))
    return expr if expr is not None and expr.type == "call_expression" else None


def _assigned_open(assign: Node) -> Optional[Node]:
    if assign.child_by_field_name("operator").type != "=":
        return None
    value = unparen(assign.child_by_field_name("right"))
    if value is not None and value.type == "call_expression" and call_name(value) == "open" \
            and assign.child_by_field_name("left").type == "identifier":
        return value
    return None


def _fd(node: Node) -> Optional[fds.Fd]:
    """The descriptor an argument names: a constant, or a plain variable,
    array element or member the child does not change."""
    node = unparen(node)
    if node is None:
        return None
    value = _const(node)
    if value is not None:
        return fds.Fd(str(value), value)
    if node.type == "identifier" and text(node) in STD_FILENOS:
        return fds.Fd(text(node), STD_FILENOS[text(node)])
    if node.type in ("identifier", "subscript_expression", "field_expression") and pure(node):
        return fds.Fd(squash(node))
    return None


def _const(node: Node) -> Optional[int]:
    node = unparen(node)
    if node is None:
        return None
    if node.type == "number_literal":
        try:
            return int(text(node).rstrip("uUlL"), 0)
        except ValueError:
            return None
    if node.type == "identifier" and text(node) in STD_FILENOS:
        return STD_FILENOS[text(node)]
    return None


def _var_side(left: Node, right: Node, op: str, names: set) -> tuple:
    """(variable, other side, operator as if the variable were on the left)."""
    mirror = {"<": ">", ">": "<", "<=": ">=", ">=": "<=", "==": "==", "!=": "!="}
    if left is not None and left.type == "identifier" and text(left) in names:
        return text(left), right, op
    if right is not None and right.type == "identifier" and text(right) in names and op in mirror:
        return text(right), left, mirror[op]
    return None, None, op


def _ident(cond: Node, name: str) -> Node:
    return next(n for n in walk(cond) if n.type == "identifier" and text(n) == name)


def _cloexec_flag(flags: str) -> Optional[bool]:
    words = _names(flags)
    if "O_CLOEXEC" in words:
        return True
    return False if all(w.startswith("O_") for w in words) else None


def _strip_cloexec(flags: str, cloexec: Optional[bool]) -> str:
    """The flags without O_CLOEXEC: the descriptor dup2 makes never has it."""
    if cloexec is False:
        return flags
    parts = [p.strip() for p in flags.split("|")]
    if cloexec and "(" not in flags and all(re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*|\d+", p) for p in parts):
        kept = [p for p in parts if p != "O_CLOEXEC"]
        return " | ".join(kept) if kept else "0"
    return f"({flags}) & ~O_CLOEXEC"


def _names(s: str) -> set:
    return set(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", s))
