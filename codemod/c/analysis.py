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

from dataclasses import dataclass, field
from typing import Optional

from codemod.c import libc
from codemod.c.libc import Kind
from codemod.c.syntax import (
    Node, arguments, call_name, declarators, line, short, statements, text, unparen, walk,
)
from codemod.model import Reason

SIDE_EFFECTS = {"call_expression", "assignment_expression", "update_expression"}
NULL_POINTERS = {"0", "NULL", "(char*)0", "(char*)NULL", "(void*)0", "(char*)", "((char*)0)", "((char*)NULL)"}


@dataclass(frozen=True)
class Action:
    """One posix_spawn file action or attribute; args are C source text."""

    op: str        # adddup2 addclose addopen addchdir_np setpgroup setsigdef setsigmask setsid
    args: tuple = ()
    line: int = 0


@dataclass
class ExecCall:
    node: Node
    spec: libc.ExecSpec
    path: str
    argv: Optional[str]          # the argv expression (execv*), or None for execl*
    arg_list: list               # execl*: the argument texts, without the NULL terminator
    env: Optional[str]


@dataclass
class SpawnPlan:
    actions: list
    exec: ExecCall
    moved_decls: list = field(default_factory=list)   # region declarations the spawn needs
    used_names: set = field(default_factory=set)      # identifiers the spawn code reads


@dataclass
class ChildAnalysis:
    review: list = field(default_factory=list)
    beyond_spawn: list = field(default_factory=list)
    exit_calls: list = field(default_factory=list)    # `exit` tokens to rename to `_exit`
    plan: Optional[SpawnPlan] = None
    locals: dict = field(default_factory=dict)        # name -> declarator node
    unreadable: bool = False   # ERROR nodes or #if inside: no rewrite may be proposed
    private: set = field(default_factory=set)        # outer locals only the region mentions


@dataclass(frozen=True)
class Options:
    target: str = "glibc"          # "glibc" or "posix"
    gnu_source: bool = False       # _GNU_SOURCE defined before the first include
    aliases: tuple = ()            # project names that behave like vfork
    exec_wrappers: tuple = ()      # project functions that exec or exit, never returning
    safe_functions: tuple = ()     # project functions a child may call

    def lookup(self, name: Optional[str]) -> Optional[libc.Spec]:
        return libc.lookup(name or "", self.exec_wrappers, self.safe_functions)


def flatten(body: list) -> list:
    """The region's top-level statements (a lone block is opened up)."""
    if len(body) == 1 and body[0].type == "compound_statement":
        return statements(body[0])
    return [s for s in body if s.type != "comment"]


def analyse(body: list, options: Options, private: Optional[dict] = None) -> ChildAnalysis:
    """Analyse the region ``body``.  ``private`` maps the names of function
    locals that only this region mentions to their declarators: the parent
    can never observe the child's writes to them."""
    result = ChildAnalysis()
    result.private = set(private or {})
    result.locals.update(private or {})
    checker = _Checker(result, options, private or {})
    for stmt in body:
        checker.visit(stmt, loops=0, switches=0)
    stmts = flatten(body)
    if not result.review and _can_complete(stmts, options.lookup):
        last = stmts[-1] if stmts else body[-1]
        result.review.append(Reason(line(last) if stmts else line(body[0]),
                                    f"the child can run past `{short(last)}` and fall out of its region "
                                    "(every path must end in exec failure handling with _exit)"))
    if not result.review:
        result.plan = _SpawnMatcher(result, options).match(stmts)
    return result


# --------------------------------------------------------------------------
# Safety: what the child writes, calls and where control goes.

_STATIC = object()   # in a scope: a static or extern variable, shared with the parent


class _Checker:
    """One pass over the region: what it writes, calls and where control
    goes.  Names are resolved through the block scopes seen so far, so a
    write after a nested block that declared the same name is a write to
    the outer variable."""

    def __init__(self, result: ChildAnalysis, options: Options, private: dict):
        self.r = result
        self.options = options
        self.scopes: list = [dict(private), {}]

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

    def review(self, node: Node, message: str) -> None:
        self.r.review.append(Reason(line(node), message))

    def beyond(self, node: Node, message: str) -> None:
        self.r.beyond_spawn.append(Reason(line(node), message))

    def visit(self, node: Node, loops: int, switches: int) -> None:
        t = node.type
        if node.is_missing:
            self.r.unreadable = True
            where = node.parent if node.parent is not None else node
            self.review(node, f"`{short(where)}` does not parse as C: tree-sitter had to assume a missing "
                              f"`{t}` (often a macro it cannot see through)")
            return
        if t == "ERROR":
            self.r.unreadable = True
            self.review(node, f"`{short(node)}` could not be parsed (a tree-sitter ERROR region, "
                              "often a macro it cannot see through)")
            return
        if t.startswith("preproc_"):
            self.r.unreadable = True
            self.review(node, f"`{text(node).splitlines()[0].strip()}` splits the child region: "
                              "each configuration may run different code")
            return
        if t == "return_statement":
            self.review(node, f"`{short(node)}` returns from {'the function'}: under vfork the child "
                              "unwinds the parent's stack frame")
            return
        if t == "goto_statement":
            self.review(node, f"`{short(node)}` leaves the child region")
            return
        if t == "break_statement" and loops == 0 and switches == 0:
            self.review(node, "`break` leaves the child region")
            return
        if t == "continue_statement" and loops == 0:
            self.review(node, "`continue` leaves the child region")
            return
        if t in ("for_statement", "while_statement", "do_statement"):
            self.beyond(node, f"loop `{_head(node)}`: posix_spawn runs no code in the child")
            loops += 1
        elif t in ("if_statement", "conditional_expression"):
            self.beyond(node, f"condition `{_head(node)}`: posix_spawn runs no code in the child")
        elif t == "switch_statement":
            self.beyond(node, f"`{_head(node)}`: posix_spawn runs no code in the child")
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
            self.review(node, f"`{short(node)}` {via}writes {problem}: under vfork the parent sees "
                              "this store, under fork or posix_spawn it does not")

    def outer_target(self, target: Node) -> Optional[str]:
        """Why writing ``target`` touches memory outside the region, or None."""
        t = target.type
        if t == "parenthesized_expression" and target.named_child_count == 1:
            return self.outer_target(unparen(target))
        if t == "identifier":
            name = text(target)
            local = self.local(name)
            if local is _STATIC:
                return f"`{name}`, a static variable the parent shares"
            if local is not None:
                return None
            if name == "errno":
                return "errno, which the child shares with the parent's thread"
            return f"`{name}`, declared outside the child region"
        if t == "field_expression":
            base = target.child_by_field_name("argument")
            if target.child_by_field_name("operator").type == "->":
                return f"through the pointer `{text(base)}`"
            return self.outer_target(base)
        if t == "subscript_expression":
            base = target.child_by_field_name("argument")
            local = self.local(text(base)) if base.type == "identifier" else None
            if local is not None and local is not _STATIC and local.type == "array_declarator":
                return None
            return f"through `{text(base)}`"
        if t == "pointer_expression":
            return f"through the pointer `{text(target.child_by_field_name('argument'))}`"
        return f"`{text(target)}`"

    def check_call(self, call: Node) -> None:
        name = call_name(call)
        if name is None:
            self.review(call, f"`{short(call)}` calls through a function pointer the tool cannot follow")
            return
        if name in ("vfork", "fork", "clone", "posix_spawn", "posix_spawnp", "system", "popen"):
            self.review(call, f"`{name}` called again inside the child")
            return
        spec = self.options.lookup(name)
        if spec is libc.EXEC_WRAPPER:
            self.beyond(call, f"`{name}()` is a project exec wrapper (configuration): posix_spawn cannot call it")
            return
        if spec is None:
            self.review(call, f"`{name}()` is not a function the tool knows: it may write memory "
                              "the parent shares, or be a macro")
            return
        args = arguments(call)
        if spec.kind is Kind.SHARED:
            self.review(call, f"`{name}()` writes {spec.writes}")
            return
        if spec.kind is Kind.ESCAPE:
            self.review(call, f"`{name}()` leaves the child region")
            return
        if name in libc.STREAM_ARG:
            idx = libc.STREAM_ARG[name]
            stream = text(args[idx]) if idx < len(args) else "?"
            if stream not in libc.STDERR_STREAMS:
                self.review(call, f"`{name}()` on `{stream}` writes the stdio buffers shared with the parent")
            return
        if name == "exit":
            self.r.exit_calls.append(call.child_by_field_name("function"))
        if spec.kind is Kind.EXEC and name not in libc.EXECS:
            self.beyond(call, f"`{name}()` has no posix_spawn equivalent")
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
        self.review(call, f"`{short(call)}` writes through argument {idx + 1}, `{text(arg)}`, "
                          "into memory the tool cannot place inside the child region")


def _null(arg: Node) -> bool:
    return "".join(text(arg).split()) in NULL_POINTERS


def _can_complete(stmts: list, lookup) -> bool:
    """Control can reach the end of the statement list."""
    return all(_completes(stmt, lookup) for stmt in stmts)


def _completes(stmt: Node, lookup) -> bool:
    t = stmt.type
    if t == "compound_statement":
        return _can_complete(statements(stmt), lookup)
    if t == "expression_statement":
        expr = stmt.named_children[0] if stmt.named_children else None
        if expr is not None and expr.type == "call_expression":
            spec = lookup(call_name(expr))
            return not (spec is not None and spec.kind is Kind.EXIT)
        return True
    if t == "if_statement":
        alt = stmt.child_by_field_name("alternative")
        if alt is None:
            return True
        return _completes(stmt.child_by_field_name("consequence"), lookup) \
            or _completes(alt.named_children[-1], lookup)
    if t in ("while_statement", "for_statement"):
        cond = stmt.child_by_field_name("condition")
        forever = cond is None or text(cond).strip("() ") in ("1", "")
        return not forever or any(n.type == "break_statement" for n in walk(stmt))
    if t in ("return_statement", "goto_statement"):
        return False  # reported as leaving the region
    return True


def _head(node: Node) -> str:
    """`while (x)` for a loop, `if (x)` for an if: the text before the body."""
    body = node.child_by_field_name("body") or node.child_by_field_name("consequence")
    if body is None:
        return short(node)
    head = node.text[: body.start_byte - node.start_byte].decode("utf-8", "replace")
    return " ".join(head.split())


def pure(node: Node) -> bool:
    return not any(n.type in SIDE_EFFECTS for n in walk(node))


# --------------------------------------------------------------------------
# Straight-line set-up, one exec, a failure tail: the posix_spawn shape.

class _SpawnMatcher:
    def __init__(self, result: ChildAnalysis, options: Options):
        self.r = result
        self.options = options
        self.actions: list = []
        self.moved: list = []
        self.sigaction_vars: dict = {}   # name -> handler is SIG_DFL
        self.pending_open: Optional[dict] = None
        self.failed = False

    def beyond(self, node: Node, message: str) -> None:
        # The safety walk may already have named this line (a loop, a condition).
        if not any(r.line == line(node) for r in self.r.beyond_spawn):
            self.r.beyond_spawn.append(Reason(line(node), message))
        self.failed = True

    def match(self, stmts: list) -> Optional[SpawnPlan]:
        exec_call: Optional[ExecCall] = None
        for stmt in stmts:
            if exec_call is None:
                call = _call_of(stmt)
                if call is not None and call_name(call) in libc.EXECS:
                    exec_call = self.exec_call(call)
                    if self.pending_open is not None:
                        self.beyond(self.pending_open["node"], "the descriptor from `open` is not moved "
                                                               "with dup2 and closed before exec")
                    continue
                self.setup(stmt)
            else:
                self.tail(stmt)
        if exec_call is None and not self.failed and stmts:
            self.beyond(stmts[-1], "the child does not exec: posix_spawn always does")
        if self.failed or exec_call is None or self.r.beyond_spawn:
            return None
        used = set()
        for a in self.actions:
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
            self.beyond(self.r.locals[name], f"`{name}` is computed in the child and used by exec")
            return None
        return SpawnPlan(self.actions, exec_call, moved, used)

    # -- set-up ------------------------------------------------------------
    def setup(self, stmt: Node) -> None:
        if stmt.type == "declaration":
            self.declaration(stmt)
            return
        if stmt.type == "expression_statement" and stmt.named_children \
                and stmt.named_children[0].type == "assignment_expression":
            if self.sigaction_field(stmt.named_children[0]):
                return
        call = _call_of(stmt)
        if call is None:
            self.beyond(stmt, f"`{short(stmt)}` is not posix_spawn set-up")
            return
        name = call_name(call)
        args = arguments(call)
        if not all(pure(a) for a in args):
            self.beyond(call, f"`{short(call)}` has arguments with side effects")
            return
        a = [text(x) for x in args]
        if self.pending_open is not None:
            self.continue_open(stmt, name, a)
            return
        handler = getattr(self, "map_" + (name or ""), None)
        spec = self.options.lookup(name)
        if handler is None or spec is None or spec.kind is not Kind.SETUP:
            if name in ("memset", "sigemptyset") and a and self.sigaction_var(a[0]):
                return
            self.beyond(call, f"`{short(call)}` has no posix_spawn equivalent")
            return
        handler(call, a)

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
                args = arguments(inner)
                if len(args) in (2, 3) and all(pure(x) for x in args):
                    self.pending_open = {"var": text(declarators(decl)[0]), "args": [text(x) for x in args],
                                         "node": decl, "target": None}
                    return
        if pure(decl):
            self.moved.append(decl)
            return
        self.beyond(decl, f"`{short(decl)}` is not posix_spawn set-up")

    def continue_open(self, stmt: Node, name: str, a: list) -> None:
        p = self.pending_open
        var = p["var"]
        if p["target"] is None and name == "dup2" and len(a) == 2 and a[0] == var:
            p["target"] = a[1]
            return
        if p["target"] is not None and name == "close" and a == [var]:
            path, flags = p["args"][0], p["args"][1]
            mode = p["args"][2] if len(p["args"]) == 3 else "0"
            self.actions.append(Action("addopen", (p["target"], path, flags, mode), line(p["node"])))
            self.pending_open = None
            return
        self.beyond(stmt, f"`{short(stmt)}`: the descriptor `{var}` from `open` (line "
                          f"{line(p['node'])}) must be moved with dup2 and then closed")
        self.pending_open = None

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

    def map_dup2(self, call, a):
        self.actions.append(Action("adddup2", (a[0], a[1]), line(call)))

    def map_close(self, call, a):
        self.actions.append(Action("addclose", (a[0],), line(call)))

    def map_open(self, call, a):
        self.beyond(call, "`open` whose descriptor is not kept in a variable, moved with dup2 and closed")

    def map_setpgid(self, call, a):
        if len(a) == 2 and a[0].strip() == "0":
            self.actions.append(Action("setpgroup", (a[1],), line(call)))
        else:
            self.beyond(call, f"`{short(call)}` sets the group of a process other than the child")

    def map_signal(self, call, a):
        if len(a) == 2 and a[1].strip() == "SIG_DFL":
            self.actions.append(Action("setsigdef", (a[0],), line(call)))
        else:
            self.beyond(call, f"`{short(call)}`: posix_spawn can only reset signals to SIG_DFL")

    def map_sigaction(self, call, a):
        var = self.sigaction_var(a[1]) if len(a) == 3 else None
        if var is not None and self.sigaction_vars[var] and _null_text(a[2]):
            self.actions.append(Action("setsigdef", (a[0],), line(call)))
        else:
            self.beyond(call, f"`{short(call)}` is not a reset to SIG_DFL the tool can prove")

    def map_sigprocmask(self, call, a):
        if len(a) == 3 and a[0].strip() == "SIG_SETMASK" and _null_text(a[2]) \
                and not (_names(a[1]) & set(self.r.locals)):
            self.actions.append(Action("setsigmask", (a[1],), line(call)))
        else:
            self.beyond(call, f"`{short(call)}`: posix_spawn can only set the whole mask (SIG_SETMASK) "
                              "from a set the parent built")

    map_pthread_sigmask = map_sigprocmask

    def gnu_only(self, call, what: str, since: str) -> bool:
        if self.options.target != "glibc":
            self.beyond(call, f"`{short(call)}` needs {what}, not in POSIX.1-2008 (--target posix)")
            return False
        if not self.options.gnu_source:
            self.beyond(call, f"`{short(call)}` needs {what} ({since}), which glibc declares only "
                              "when _GNU_SOURCE is defined before the first #include")
            return False
        return True

    def map_chdir(self, call, a):
        if self.gnu_only(call, "posix_spawn_file_actions_addchdir_np", "glibc 2.29"):
            self.actions.append(Action("addchdir_np", (a[0],), line(call)))

    def map_setsid(self, call, a):
        if any(x.op == "addopen" for x in self.actions):
            self.beyond(call, "`setsid()` after `open`: posix_spawn would start the session before "
                              "opening, which changes the controlling terminal")
            return
        if self.gnu_only(call, "POSIX_SPAWN_SETSID", "glibc 2.26"):
            self.actions.append(Action("setsid", (), line(call)))

    # -- exec and tail -------------------------------------------------------
    def exec_call(self, call: Node) -> Optional[ExecCall]:
        name = call_name(call)
        spec = libc.EXECS[name]
        args = arguments(call)
        for x in args:
            if not pure(x):
                self.beyond(call, f"argument `{text(x)}` of {name}() has side effects")
                return None
        texts = [text(x) for x in args]
        if spec.list_form:
            tail = 2 if spec.has_env else 1
            if len(texts) < 1 + tail or not _null_text(texts[-tail]):
                self.beyond(call, f"the argument list of {name}() does not end in a null pointer the tool recognises")
                return None
            env = texts[-1] if spec.has_env else None
            return ExecCall(call, spec, texts[0], None, texts[1:-tail], env)
        if len(texts) != (3 if spec.has_env else 2):
            self.beyond(call, f"{name}() called with {len(texts)} arguments")
            return None
        return ExecCall(call, spec, texts[0], texts[1], [], texts[2] if spec.has_env else None)

    def tail(self, stmt: Node) -> None:
        call = _call_of(stmt)
        spec = self.options.lookup(call_name(call)) if call is not None else None
        if spec is not None and spec.kind in (Kind.DIAG, Kind.EXIT):
            return
        self.beyond(stmt, f"`{short(stmt)}` after exec is more than a failure tail "
                          "(diagnostics to stderr, then _exit)")


def _call_of(stmt: Node) -> Optional[Node]:
    if stmt.type == "expression_statement" and stmt.named_children \
            and stmt.named_children[0].type == "call_expression":
        return stmt.named_children[0]
    return None


def _null_text(s: str) -> bool:
    return "".join(s.split()) in NULL_POINTERS


def _names(s: str) -> set:
    import re
    return set(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", s))
