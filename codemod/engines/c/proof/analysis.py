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

import contextlib
import re
from dataclasses import dataclass, field, replace
from typing import Callable, Optional

from codemod.core import region
from codemod.core.reasons import For
from codemod.engines.c.project import libc
from codemod.engines.c.project.libc import Kind
from codemod.engines.c.proof import macros
from codemod.engines.c.proof.sites import SYNTAX
from codemod.engines.c.proof.spawnmatch import SpawnMatcher
from codemod.engines.c.frontend.syntax import (Node, arguments, call_name, declarators, has_inner, line, null_pointer, short,
                                             squash, statements, text, unparen, walk)

R = For("c")
_MAX_OBJECTS = 8             # object-like macros one store is read through, one inside another
_MAX_OBJECT_BODY = 200       # characters of such a macro's body


class ChildAnalysis(region.ChildBase):
    """What the child region does (see :class:`codemod.core.region.ChildBase`),
    with C's own parts: `exit` calls to rename, the region's variables, and
    whether its text could be read at all."""

    def __init__(self):
        super().__init__()
        self.exit_calls: list = []     # `exit` tokens to rename to `_exit`
        self.err_calls: list = []      # `err(1, ...)` calls to make `(warn(...), _exit(1))`
        self.locals: dict = {}         # name -> declarator node
        self.unreadable = False        # ERROR nodes or #if inside: no rewrite may be proposed
        self.private: set = set()      # outer locals only the region mentions
        self.handoffs: list = []       # Handoff: values stored for the parent after a failed exec
        self.handoff_vars: list = []   # their variables (codemod.engines.c.rewrite.handoff.Variable), once each
        # Calls of project code that ends a failing child through exit() or
        # works on stdio on its way out (HelperExit): fork changes what
        # that failing run prints (codemod.engines.c.reading decides).
        self.exit_helpers: list = []


@dataclass(frozen=True)
class HelperExit:
    """A call in the child of project code (or err()) that may end the
    child through exit(), or write stdio before it ends it."""

    line: int
    name: str
    where: str

    def reason(self, strict: bool):
        """Its reason: review under --strict-exits, else what the fork rewrite changes."""
        return R("helper-calls-exit" if strict else "exits-in-helper", self.line, name=self.name, where=self.where)


@dataclass(frozen=True)
class Handoff:
    """`exec_errno = errno;` after a failed exec: a value the child stores
    for the parent to read (see codemod.engines.c.rewrite.handoff)."""

    name: str          # the variable, declared outside the region
    stmt: Node         # the expression statement
    assignment: Node   # its assignment expression


@dataclass(frozen=True)
class Options:
    """What one C file's analysis knows: the target, the configuration and the project index."""

    target: str = "glibc"          # "glibc" or "posix"
    gnu_source: bool = False       # _GNU_SOURCE defined before the first include
    aliases: tuple = ()            # project names that behave like vfork
    exec_wrappers: tuple = ()      # project functions that exec or exit, never returning
    safe_functions: tuple = ()     # project functions a child may call
    die_functions: tuple = ()      # project functions that end the process and never exec
    spawnp: bool = False           # execvp & co. may become posix_spawnp (no /bin/sh fallback)
    strict_exits: bool = False     # a child whose failure ends through a helper's exit() stays review
    project: Optional[object] = field(default=None, compare=False)   # codemod.engines.c.project.knowledge.Knowledge
    path: str = ""                 # the file analysed, as shown (its own definitions come first)
    asked: Optional[set] = field(default=None, compare=False)   # names missing from the C library, collected
    defines: tuple = ()            # (name, value) the build defines (--define): decides `#if`s
    undefines: tuple = ()          # names the build leaves undefined (--undefine)
    compile: Optional[object] = field(default=None, compare=False)   # the file's compiledb.Entry

    def lookup(self, name: Optional[str], stack: tuple = (), arity: Optional[int] = None,
               functions: bool = False) -> Optional[libc.Spec]:
        """What a call of ``name`` does: the configuration first (it wins
        over discovery), then the C library table, then the project index
        (with ``arity``, the call's argument count: a definition taking
        another count is not the function called; with ``functions``, a
        macro of that name is not the one meant)."""
        found = libc.lookup(name or "", self.exec_wrappers, self.safe_functions, self.die_functions)
        if found is None and name and self.asked is not None:
            self.asked.add(name)
        if found is None and name and self.project is not None:
            from codemod.engines.c.proof import summaries
            found = summaries.spec(name, self.project, self, stack, arity, functions)
        return found

    def helper_checker(self, fn, knowledge, stack: tuple, first_line: int = 1) -> "HelperChecker":
        """The checker a project helper's body ``fn`` (whose text starts
        at ``first_line`` of its file) is read with, under these options:
        codemod.engines.c.proof.summaries asks for it here, so it does not
        import this module (which imports it)."""
        return HelperChecker(fn, self, knowledge, stack, first_line)


def flatten(body: list) -> list:
    """The region's top-level statements (a lone block is opened up)."""
    if len(body) == 1 and body[0].type == "compound_statement":
        return statements(body[0])
    return [s for s in body if s.type != "comment"]


def analyse(body: list, options: Options, private: Optional[dict] = None,
            origins: Callable[[set], tuple] = lambda wanted: (), result: Optional[str] = None,
            again: Optional[dict] = None) -> ChildAnalysis:
    """Analyse the region ``body``.  ``private`` maps the names of function
    locals that only this region mentions to their declarators: the parent
    can never observe the child's writes to them.  ``origins(names)`` says
    which descriptor variables the code before vfork proves open
    (see :mod:`codemod.engines.c.proof.provenance`).  ``result`` names the
    variable receiving vfork's value: the child may store to it, since the
    parent's own store of the result comes after the child has exec'd or
    exited (clang's unix.Vfork checker allows exactly this).  ``again``
    maps locals only this region mentions but that a later run of the
    region in the same call would read (name -> how it runs again): their
    writes are shared ones, with that said."""
    analysis = ChildAnalysis()
    analysis.private = set(private or {})
    analysis.locals.update(private or {})
    stmts = flatten(body)
    checker = _Checker(analysis, options, private or {}, _handoff_candidates(stmts, options), result, again)
    for stmt in body:
        checker.visit(stmt, loops=0, switches=0)
    result = analysis
    if not result.review and not region.leaves(SYNTAX, stmts, lambda call: never_returns(call, options.lookup)):
        last = stmts[-1] if stmts else body[-1]
        result.review.append(R("falls-out", line(last) if stmts else line(body[0]), last=short(last)))
    if not result.review and not checker.ends:
        result.review.append(R("never-execs", line(stmts[0] if stmts else body[0])))
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

    params: dict = {}                   # a helper's parameters (HelperChecker): never its own memory
    _expanding: tuple = ()              # the macros being expanded, outermost first
    _objects: tuple = ()                # the object-like macros a store is being read through
    _expanded_at: Optional[Node] = None  # the call of the outermost of them

    def __init__(self, result: ChildAnalysis, options: Options, private: dict, handoffs: Optional[dict] = None,
                 vfork_result: Optional[str] = None, again: Optional[dict] = None):
        self.r = result
        self.options = options
        self.scopes: list = [dict(private), {}]
        self.handoffs = handoffs or {}
        self.vfork_result = vfork_result
        self.ends = False              # some call execs or ends the process
        self.execs = False             # some call may exec (an exec, a wrapper, a helper that is no die())
        self.again = dict(again or {})  # child-only locals a later run of the region reads

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
            # A token has nothing below it; only a missing one or an ERROR matters.
            if child.child_count or child.is_missing or child.type == "ERROR":
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
            if local is not None or name == self.vfork_result:
                return None
            if name == "errno":
                return "shared-write", {"target": "errno, which the child shares with the parent's thread"}
            if name in self.again:
                return "rerun-write", {"target": f"`{name}`", "how": self.again[name]}
            stands = self.object_macro(name)
            if stands is not None:
                # `#define used (iov[2].iov_len)`, then `used = ...`: the
                # store is to what the macro stands for, here.
                with self._through(name):
                    return self.outer_target(stands)
            if self._objects:           # reached through `#define used (last_len)`: named as stored
                return "shared-write", {"target": f"`{name}` (through the macro `{self._objects[0]}`), declared "
                                                  "outside the child region", "name": name}
            return "shared-write", {"target": f"`{name}`, declared outside the child region"}
        if t == "field_expression":
            base = target.child_by_field_name("argument")
            if target.child_by_field_name("operator").type == "->":
                return "pointer-write", {"target": f"through the pointer `{text(base)}`", "local": self.own(base)}
            return self.outer_target(base)
        if t == "subscript_expression":
            base = target.child_by_field_name("argument")
            local = self.local(text(base)) if base.type == "identifier" else None
            if local is not None and local is not _STATIC and local.type == "array_declarator":
                return None
            if local is None and text(base) in self.again:
                return "rerun-write", {"target": f"the array `{text(base)}`", "how": self.again[text(base)]}
            return "pointer-write", {"target": f"through `{text(base)}`", "local": self.own(base)}
        if t == "pointer_expression":
            base = target.child_by_field_name("argument")
            return "pointer-write", {"target": f"through the pointer `{text(base)}`", "local": self.own(base)}
        return "pointer-write", {"target": f"`{text(target)}`"}

    def check_call(self, call: Node) -> None:
        name = call_name(call)
        if name is None:
            self.review(call, "function-pointer", call=short(call))
            return
        if name in ("vfork", "fork", "clone", "posix_spawn", "posix_spawnp", "system", "popen"):
            self.review(call, "spawns-again", name=name)
            return
        spec = self.lookup(name, len(arguments(call)))
        if spec is not None and spec.macro is not None and name in self._expanding:
            # A macro's name in its own expansion is not expanded again (C11
            # 6.10.3.4p2): it calls the function of that name (busybox's
            # `bb_perror_msg(...)` macro, pasted back into `bb_perror_msg`).
            spec = self.lookup(name, len(arguments(call)), functions=True)
        if spec is not None and spec.kind in (Kind.EXEC, Kind.EXIT):
            self.ends = True
        # A macro's own calls are read in its expansion.
        if spec is not None and spec.macro is None and (spec.kind is Kind.EXEC or spec.execs or
                                                        spec is libc.EXEC_WRAPPER):
            self.execs = True
        if spec is libc.EXEC_WRAPPER:
            self.beyond(call, "exec-wrapper", name=name)
            return
        if spec is None:
            project = self.options.project
            if project is not None and name in project.beyond:
                self.review(call, "index-budget", name=name, why=project.beyond[name])
            elif project is not None and project.declared_at(self.options.path, name):
                # `die_func()`: a file-scope variable of the file, a function pointer.
                self.review(call, "function-pointer", call=short(call))
            else:
                self.review(call, "unknown-function", name=name)
            return
        if spec.macro is not None:
            self.expand(call, name, spec)
            return
        if spec.review is not None:
            kind, fields = spec.review
            self.review(call, kind, **fields)
            return
        if spec.beyond is not None:
            kind, fields = spec.beyond
            self.beyond(call, kind, **{"name": name, **fields})
        if spec.flushes:
            if name in ERR_TO_WARN and _err_convertible(call) and not isinstance(self, HelperChecker):
                self.r.err_calls.append(call)
            else:
                self.flushing(call, name, spec)
        args = arguments(call)
        if name == "ptrace" and (not args or squash(args[0]) not in TRACE_ME):
            self.review(call, "ptrace-request", request=text(args[0]) if args else "")
            return
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
            if idx < len(args) and not null_pointer(args[idx]):
                self.check_pointer_arg(call, args[idx], idx)

    def lookup(self, name: str, arity: Optional[int] = None, functions: bool = False):
        return self.options.lookup(name, arity=arity, functions=functions)

    def flushing(self, call: Node, name: str, spec) -> None:
        """A call that ends in exit() (err(), a project die()): fine where
        posix_spawn replaces the child, not under fork."""
        self.r.exit_helpers.append(HelperExit(line(call), name, _where(spec)))

    def expand(self, call: Node, name: str, spec) -> None:
        """A function-like project macro: its expansion, with this call's
        arguments, is analysed here, in the child's scopes.  A macro defined
        differently under `#if`s has every definition expanded in turn."""
        from codemod.engines.c.proof import summaries
        variants = spec.macro if isinstance(spec.macro, tuple) else (spec.macro,)
        at = line(call)
        depth = self._expanding
        if name in depth or len(depth) >= summaries.MAX_DEPTH:
            self.review(call, "helper-too-deep", name=name, where=variants[0].where, depth=summaries.MAX_DEPTH)
            return
        for d in variants:
            self._expand_one(call, name, d, at, depth)
        self.beyond(call, "helper-call", name=name, where=variants[0].where)

    def _one_macro(self, name: str):
        """The one function-like project macro definition ``name`` has for
        this code, or None (a function, the C library's, several variants)."""
        spec = self.lookup(name)
        d = spec.macro if spec is not None else None
        return d if d is not None and not isinstance(d, tuple) and d.params is not None else None

    def _expand_one(self, call: Node, name: str, d, at: int, depth: tuple) -> None:
        from codemod.engines.c.proof import summaries
        args = [text(a) for a in arguments(call)]
        body = macros.substitute(d, args)
        if body is not None and len(body) > macros.MAX_EXPANSION:
            self.review(call, "helper-macro-unreadable", name=name, where=d.where,
                        why=f"its expansion here is longer than {macros.MAX_EXPANSION:,} characters, the most "
                            "the tool reads")
            return
        fn = summaries.expansion_function(body) if body is not None else None
        # Pre-expansion changes only an argument with a call in it (only
        # function-like macros are expanded); without one, a body that
        # parses reads as it will when its macros are met.
        needed = body is not None and (fn is None or any("(" in a for a in args))
        full = macros.preprocess(d, args, self._one_macro, active=depth) if needed else None
        if full is not None and (fn is None or full != macros.preprocess(d, args, self._one_macro, pre_expand=False,
                                                                          active=depth)):
            # The preprocessor's whole work reads differently (an argument
            # expanded before an inner macro pastes it, as busybox's BB_MSG
            # needs) or is the only reading that parses (`f(a, long long)`
            # is no call to parse, its expansion is): the text, expanded.
            fn = summaries.expansion_function(full) or fn
        if fn is None:
            self.review(call, "helper-macro-unreadable", name=name, where=d.where,
                        why="its expansion here is not a statement or expression the tool can parse")
            return
        saved = (len(self.r.review), len(self.r.beyond_spawn), len(self.r.exit_calls), len(self.r.err_calls),
                 dict(self.r.conditions), dict(self.r.locals), self.handoffs)
        self.handoffs = {}
        self._expanding = depth + (name,)
        outer = self._expanded_at
        self._expanded_at = outer or call
        try:
            self.scopes.append({})
            for stmt in statements(fn.child_by_field_name("body")):
                self.visit(stmt, loops=0, switches=0)
            self.scopes.pop()
        finally:
            self._expanding, self._expanded_at = depth, outer
        n_review, n_beyond, n_exit, n_err, conditions, locals_, self.handoffs = saved
        self.r.conditions, self.r.locals = conditions, locals_
        suffix = f" (in the expansion of `{name}()`, {d.where})"
        for lst, n in ((self.r.review, n_review), (self.r.beyond_spawn, n_beyond)):
            lst[n:] = [replace(r, line=at, text=r.text + suffix) for r in lst[n:]]
        if len(self.r.exit_calls) > n_exit or len(self.r.err_calls) > n_err:
            del self.r.exit_calls[n_exit:]
            del self.r.err_calls[n_err:]
            self.r.exit_helpers.append(HelperExit(at, name, d.where))

    def check_pointer_arg(self, call: Node, arg: Node, idx: int) -> None:
        """``arg`` is a pointer the callee writes through: `&x`, or an array name."""
        arg = unparen(arg)
        while arg.type == "cast_expression" and arg.child_by_field_name("value") is not None:
            arg = unparen(arg.child_by_field_name("value"))      # `(char**)(void*)&p`: still `&p`
        stands = self.object_macro(text(arg)) if arg.type == "identifier" and self.local(text(arg)) is None \
            else None
        if stands is not None:
            with self._through(text(arg)):
                self.check_pointer_arg(call, stands, idx)
            return
        if arg.type == "pointer_expression" and arg.child_by_field_name("operator").type == "&":
            self.check_write(call, arg.child_by_field_name("argument"), via=f"through argument {idx + 1}, ")
            return
        base = arg
        if arg.type == "binary_expression" and text(arg.child_by_field_name("operator")) in ("+", "-"):
            # `buf + used`: an offset into a local array is that array.
            left, right = unparen(arg.child_by_field_name("left")), unparen(arg.child_by_field_name("right"))
            offset = right if left.type == "identifier" else left
            if not has_inner(offset, ("call_expression", "assignment_expression", "update_expression")) \
                    and offset.type not in ("call_expression", "assignment_expression", "update_expression"):
                base = left if left.type == "identifier" else right
        local = self.local(text(base)) if base.type == "identifier" else None
        if local is not None and local is not _STATIC and local.type == "array_declarator":
            return
        self.review(call, "pointer-arg-write", call=short(call), n=idx + 1, arg=text(arg), local=self.own(base))

    def own(self, pointer: Node) -> bool:
        """``pointer`` is a plain local pointer of the code read here
        (declared in it, not a parameter, or a member of such a local
        struct or array), whatever it points to: in a die() that is the
        message buffer it built (summaries._outbound)."""
        pointer = unparen(pointer)
        if pointer is not None and pointer.type == "update_expression":
            pointer = unparen(pointer.child_by_field_name("argument"))
        while pointer is not None and pointer.type == "cast_expression":
            pointer = unparen(pointer.child_by_field_name("value"))
        if pointer is None:
            return False
        if pointer.type == "field_expression" and pointer.child_by_field_name("operator").type == ".":
            return self.own(pointer.child_by_field_name("argument"))
        if pointer.type == "subscript_expression":
            base = unparen(pointer.child_by_field_name("argument"))
            local = self.local(text(base)) if base is not None and base.type == "identifier" else None
            return local is not None and local is not _STATIC and local.type == "array_declarator"
        if pointer.type != "identifier":
            return False
        local = self.local(text(pointer))
        if local is None:
            stands = self.object_macro(text(pointer))
            if stands is None:
                return False
            with self._through(text(pointer)):
                return self.own(stands)
        return local is not _STATIC and text(pointer) not in self.params

    @contextlib.contextmanager
    def _through(self, name: str):
        """Reading a store, an argument or a pointer through the object-like macro ``name``."""
        self._objects += (name,)
        try:
            yield
        finally:
            self._objects = self._objects[:-1]

    def defined_here(self, name: str) -> Optional[str]:
        """The body of an object-like macro the code read here defines
        itself before this point (a helper's `#define`), or None."""
        return None

    def object_macro(self, name: str) -> Optional[Node]:
        """The expression an object-like project macro ``name`` stands for
        in this code (`#define msgv (iov[2].iov_base)`), or None: not a
        macro, one with several definitions or with another kind of
        definition beside it, a body that is no single expression, or a
        name already being read through (`#define a b`, `#define b a`)."""
        if name in self._objects or len(self._objects) >= _MAX_OBJECTS:
            return None
        body = self.defined_here(name)
        if body is None:
            project = self.options.project
            if self.options.asked is not None:
                self.options.asked.add(name)       # the project index looks for it next round
            if project is None or project.declared_at(self.options.path, name):
                return None
            defs = project.lookup(name, self.options.path)
            if len(defs) != 1 or defs[0].kind != "macro" or defs[0].params is not None:
                return None
            body = defs[0].text
        body = body.strip()
        if not body or len(body) > _MAX_OBJECT_BODY:
            return None
        from codemod.engines.c.proof import summaries
        fn = summaries.expansion_function(body)
        block = fn.child_by_field_name("body") if fn is not None else None
        stmts = statements(block) if block is not None else []
        if len(stmts) != 1 or stmts[0].type != "expression_statement" or stmts[0].named_child_count != 1:
            return None
        return stmts[0].named_children[0]


# err(3) calls exit() after its message; in a child under fork that would
# flush the stdio buffers copied from the parent a second time.  The warn()
# of the same family prints the same message and returns, so a fork rewrite
# makes `err(1, fmt, ...)` `(warn(fmt, ...), _exit(1))`.
ERR_TO_WARN = {"err": ("warn", 1), "errx": ("warnx", 1), "verr": ("vwarn", 1), "verrx": ("vwarnx", 1),
               "errc": ("warnc", 1), "verrc": ("vwarnc", 1)}


def _err_convertible(call: Node) -> bool:
    """The status argument has no side effects to reorder (a constant or a
    plain variable), so it may be evaluated after the message."""
    args = arguments(call)
    return len(args) >= 2 and unparen(args[0]).type in ("number_literal", "identifier")


def exit_edits(child: ChildAnalysis) -> list:
    """(Edit, Reason) pairs a fork rewrite makes inside the child: `exit`
    becomes `_exit`, `err(...)` becomes warn() then `_exit`."""
    from codemod.core.model import Edit
    out = [(Edit(t.start_byte, t.end_byte, b"_exit"), R("exit-becomes-_exit", line(t))) for t in child.exit_calls]
    for call in child.err_calls:
        name = call_name(call)
        warn, skip = ERR_TO_WARN[name]
        args = arguments(call)
        rest = call.child_by_field_name("arguments")
        inner = rest.text[args[skip].start_byte - rest.start_byte:args[-1].end_byte - rest.start_byte]
        new = b"(" + warn.encode() + b"(" + inner + b"), _exit(" + args[0].text + b"))"
        out.append((Edit(call.start_byte, call.end_byte, new),
                    R("err-becomes-warn", line(call), name=name, warn=warn, status=text(args[0]))))
    out.sort(key=lambda pair: pair[0].start)
    return out


def repeated(stmt: Node, options: Options) -> ChildAnalysis:
    """What the call statement ``stmt``, which both processes run before
    they part (sites.Site.repeated_calls), does: its review lists anything
    that is not per-process state.  Under vfork the child runs it first;
    what it writes to memory (an out-argument, a global) the parent then
    reads before running it again, so only calls writing no memory are
    repeatable; its exit path (xmove_fd's die) is the child's failure."""
    result = ChildAnalysis()
    checker = _Checker(result, options, {})
    checker.visit(stmt, loops=0, switches=0)
    if checker.ends:                    # an exec or exit both would make
        result.review.append(R("leaves-region", line(stmt), stmt=short(stmt)))
    return result


def _where(spec) -> str:
    return spec.origin[1] if spec.origin else "the C library"




class HelperChecker(_Checker):
    """The checker run over a project function's body (see
    :mod:`codemod.engines.c.proof.summaries`): its parameters are its own, it may
    return, a `goto` to one of its own labels stays inside it, and writes
    through pointer parameters are out-arguments."""

    def __init__(self, fn: Node, options: Options, knowledge, stack: tuple, first_line: int = 1):
        from codemod.engines.c.proof import summaries
        self.params = summaries.param_names(fn)
        self.fn = fn
        self.fn_line = first_line
        self.labels: Optional[set] = None
        private = {name: fn for name in self.params}
        super().__init__(ChildAnalysis(), options, private, {})
        self.stack = stack
        self.problems: list = []
        self.out_params: set = set()
        self.calls: list = []
        self.flushing_calls: list = []
        self.macros: dict = {}          # name -> Definition of each macro the body #defines (till its #undef)

    def lookup(self, name: str, arity: Optional[int] = None, functions: bool = False):
        return self.options.lookup(name, self.stack, arity, functions)

    def defined_here(self, name: str) -> Optional[str]:
        d = self.macros.get(name)
        return d.text if d is not None and d.params is None else None

    def check_call(self, call: Node) -> None:
        d = self.macros.get(call_name(call))
        if d is None:
            super().check_call(call)
        elif d.params is not None:
            # `#define writeerr(s) retval |= (write (2, s, strlen (s)) < 0)`
            # in libiberty's pex_child_error: expanded here, as any macro.
            self.expand(call, d.name, libc.Spec(Kind.SAFE, macro=d))
        else:
            # `#define exit my_exit` in the body: the call is not the name's.
            self.review(call, "helper-macro-value", name=d.name, where=d.where, body=" ".join(d.text.split())[:60])

    def review(self, node: Node, kind: str, **fields) -> None:
        # A node of a macro's expansion has no line in the helper's file:
        # the call of the macro stands for it.
        self.problems.append((self._expanded_at or node, kind, fields))

    def first_problem(self):
        return self.problems[0] if self.problems else None

    def visit(self, node: Node, loops: int, switches: int) -> None:
        if node.type == "return_statement":
            for child in node.children:
                super().visit(child, loops, switches)
            return
        if node.type in ("preproc_def", "preproc_function_def") and node.child_by_field_name("name") is not None:
            # A macro of the body's own (busybox's bb_verror_msg: `#define
            # used (iov[2].iov_len)`): the names after it are read through
            # it (object_macro), a function-like one is expanded at its calls.
            from codemod.engines.c.project.knowledge import macro_definition
            d = macro_definition(node, self.options.path, self.fn_line + node.start_point.row)
            self.macros[d.name] = d
            return
        if node.type == "preproc_call" and text(node.child_by_field_name("directive")).strip() == "#undef":
            argument = node.child_by_field_name("argument")
            self.macros.pop(text(argument).strip() if argument is not None else "", None)
            return
        if node.type in _CONDITIONAL:
            # Every branch is read, so what the helper may write is what
            # any configuration writes (none is rewritten); whether it
            # never returns is not decided through them (summaries).
            skip = {(c.start_byte, c.end_byte) for c in (node.child_by_field_name("condition"),
                                                         node.child_by_field_name("name")) if c is not None}
            for child in node.named_children:
                if (child.start_byte, child.end_byte) not in skip:
                    self.visit(child, loops, switches)
            return
        if node.type == "goto_statement" and self.own_label(node):
            # What the helper writes is read from every statement whatever
            # their order; whether it never returns is decided without
            # trusting a body that jumps (summaries._ends_process).
            return
        if node.type == "call_expression":
            self.calls.append(node)
        super().visit(node, loops, switches)

    def flushing(self, call: Node, name: str, spec) -> None:
        self.flushing_calls.append(call)

    def own_label(self, jump: Node) -> bool:
        """The `goto` jumps to a label of this helper's body (from a macro's
        expansion too: the macro's goto is the helper's)."""
        label = jump.child_by_field_name("label")
        if label is None:
            return False
        if self.labels is None:
            self.labels = {text(s.child_by_field_name("label")) for s in walk(self.fn)
                           if s.type == "labeled_statement" and s.child_by_field_name("label") is not None}
        return text(label) in self.labels

    def outer_target(self, target: Node):
        from codemod.engines.c.proof import summaries
        base = summaries.pointer_base(target)
        if base is not None and self.local(base) is not None and base in self.params and self.params[base][1]:
            self.out_params.add(self.params[base][0])
            return None
        return super().outer_target(target)

    def check_pointer_arg(self, call: Node, arg: Node, idx: int) -> None:
        arg = unparen(arg)
        if arg.type == "identifier" and text(arg) in self.params and self.params[text(arg)][1]:
            self.out_params.add(self.params[text(arg)][0])
            return
        super().check_pointer_arg(call, arg, idx)

    def never_returns(self, call: Node) -> bool:
        return call_name(call) not in self.macros and never_returns(call, self.lookup)

    def only_calls(self, *kinds) -> bool:
        """Every call is of these kinds (DIAG: writes only to stderr), and
        nothing is written through a parameter."""
        for call in self.calls:
            spec = self.lookup(call_name(call))
            if spec is None or spec.kind not in kinds or spec.beyond is not None or spec is libc.EXEC_WRAPPER:
                return False
        return not self.out_params


# The conditional directives a helper's body may hold (its #define and
# #undef lines are read too: HelperChecker.visit).
_CONDITIONAL = frozenset({"preproc_if", "preproc_ifdef", "preproc_else", "preproc_elif", "preproc_elifdef"})


# ptrace's "trace me" request: glibc's PTRACE_TRACEME, the BSDs' and
# macOS's PT_TRACE_ME, and the number both are (0; also on Solaris).
TRACE_ME = frozenset({"PTRACE_TRACEME", "PT_TRACE_ME", "0"})


def never_returns(call: Node, lookup) -> bool:
    """``lookup`` (Options.lookup) says the call ends the process."""
    spec = lookup(call_name(call))
    return spec is not None and spec.kind is Kind.EXIT


def _head(node: Node) -> str:
    """`while (x)` for a loop, `if (x)` for an if: the text before the body."""
    body = node.child_by_field_name("body") or node.child_by_field_name("consequence")
    if body is None:
        return short(node)
    head = node.text[: body.start_byte - node.start_byte].decode("utf-8", "replace")
    return " ".join(head.split())


