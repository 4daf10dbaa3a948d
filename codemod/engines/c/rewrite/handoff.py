"""The exec-error hand-off, rewritten to fork with a close-on-exec pipe.

A child that stores a value for its parent after a failed exec

    execv(path, argv);
    exec_errno = errno;
    _exit(127);

relies on vfork's shared memory.  The rewrite (the scheme of CPython's
_posixsubprocess and glib's gspawn) replaces the `vfork()` call by a
generated helper that makes a close-on-exec pipe and forks.  In the child
the helper closes the read end and returns 0; each hand-off store still
happens in the child and its value is also written to the pipe.  In the
parent the helper closes the write end and reads to the end of the pipe,
which comes when the child execs (the kernel closes the write end) or
exits: so the parent resumes only then, as under vfork.  It stores the
values into the same variables, closes the read end and returns the pid;
the code after vfork runs as before and waitpid finds the child.  When the
pipe or the fork cannot be made the helper returns -1 with errno set, and
the code's own failure path runs, as for a failed vfork.

The helpers are per site and go just above the function; their names avoid
every word of the file.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Optional

from codemod.core import layout, region
from codemod.core.kinds import fork_pipe as kind
from codemod.core.model import Edit, Finding, Fix, Verdict
from codemod.core.reasons import For
from codemod.engines.c.frontend.syntax import Node, declarators, encode_text, function_name, index, line, short, text
from codemod.engines.c.proof import analysis
from codemod.engines.c.rewrite.base import Rewrite, rewrite
from codemod.engines.c.rewrite.spawn import free_name
from codemod.engines.c.rewrite.target import Either

R = For("c")

# Types whose values a `long` carries exactly (an `unsigned long` round-trips
# through gcc's modulo conversion).
INTEGER_TYPEDEFS = {
    "pid_t", "sig_atomic_t", "ssize_t", "size_t", "off_t", "mode_t", "uid_t", "gid_t", "intptr_t", "uintptr_t",
    "int8_t", "int16_t", "int32_t", "int64_t", "uint8_t", "uint16_t", "uint32_t", "uint64_t", "errno_t",
}
NOT_INTEGER = {"float", "double", "void"}


@dataclass(frozen=True)
class Variable:
    """A variable the child's value is handed to the parent in, and the pointer type passing it."""

    name: str
    pointer_type: str        # `volatile int *`


def variable(fn: Node, root: Node, name: str, before: int) -> tuple:
    """(Variable, None), or (None, (reason kind, fields)) when the pipe
    cannot carry ``name``: its declaration, storage or type."""
    decl = _declaration(fn, name, before) or _file_declaration(root, name, fn.start_byte)
    if decl is None:
        return None, ("handoff-undeclared", {})
    if any(c.type == "storage_class_specifier" and text(c) == "register" for c in decl.children):
        return None, ("handoff-register", {})
    type_node = decl.child_by_field_name("type")
    type_text = " ".join(text(type_node).split()) if type_node is not None else "int"
    words = set(type_text.split())
    integer = (type_node is not None and type_node.type in ("primitive_type", "sized_type_specifier")
               and not words & NOT_INTEGER) or type_text in INTEGER_TYPEDEFS
    if not integer:
        return None, ("handoff-type", {"type": type_text})
    qualifiers = [text(c) for c in decl.children if c.type == "type_qualifier" and text(c) == "volatile"]
    return Variable(name, " ".join(qualifiers + [type_text]) + " *"), None


def _declaration(fn: Node, name: str, before: int) -> Optional[Node]:
    """The declaration of local or parameter ``name`` of ``fn`` (a plain identifier), before ``before``."""
    found = None
    for node in index(fn).of("declaration", "parameter_declaration"):
        if node.start_byte >= before:
            break
        if any(text(d) == name and _plain(d) for d in declarators(node)):
            found = node
    return found


def _file_declaration(root: Node, name: str, before: int) -> Optional[Node]:
    found = None
    for node in root.children:
        if node.start_byte >= before:
            break
        if node.type == "declaration" and any(text(d) == name and _plain(d) for d in declarators(node)):
            found = node
    return found


def _plain(ident: Node) -> bool:
    """``ident`` declares a plain variable, not an array, pointer or function."""
    parent = ident.parent
    return parent.type in ("declaration", "init_declarator", "parameter_declaration") and \
        (parent.type != "init_declarator" or parent.child_by_field_name("declarator") == ident)


@dataclass
class Names:
    """The generated names of one hand-off's helpers."""

    fork: str
    put: str
    fd: str


def names(function: str, taken) -> Names:
    stem = function or "child"
    return Names(*(free_name(f"{stem}_handoff_{part}", taken) for part in ("fork", "put", "fd")))


def helpers(n: Names, variables: list, tags: list, pipe2: bool) -> list:
    """The helpers as (depth, line) pairs (depth None: a blank line).
    ``tags[j]`` is the index in ``variables`` of the j-th hand-off store."""
    params = ", ".join(f"{v.pointer_type}handoff{i}" for i, v in enumerate(variables))
    lines = [
        (0, "/*"),
        (0, f" * Made by vfork-codemod in place of vfork(): {n.fork}() forks with a"),
        (0, " * close-on-exec pipe, which carries what the child hands back after a"),
        (0, " * failed exec; the parent reads it until the child has exec'd or exited,"),
        (0, " * as vfork made it wait."),
        (0, " */"),
        (0, f"static int {n.fd} = -1;"),
        (None, ""),
        (0, "static void"),
        (0, f"{n.put}(long tag, long value)"),
        (0, "{"),
        (1, "long record[2];"),
        (1, "int saved = errno;"),
        (None, ""),
        (1, "record[0] = tag;"),
        (1, "record[1] = value;"),
        (1, f"if (write({n.fd}, record, sizeof record) < 0) {{"),
        (2, "/* the parent keeps the value it had */"),
        (1, "}"),
        (1, "errno = saved;"),
        (0, "}"),
        (None, ""),
        (0, "static pid_t"),
        (0, f"{n.fork}({params})"),
        (0, "{"),
        (1, f"long records[{2 * len(tags)}], spare[2];"),
        (1, "size_t got = 0, i;"),
        (1, "ssize_t n;"),
        (1, "int fds[2], saved;"),
        (1, "pid_t pid;"),
        (None, ""),
    ]
    if pipe2:
        lines += [(1, "if (pipe2(fds, O_CLOEXEC) < 0)"), (2, "return -1;")]
    else:
        lines += [
            (1, "if (pipe(fds) < 0)"),
            (2, "return -1;"),
            (1, "if (fcntl(fds[0], F_SETFD, FD_CLOEXEC) < 0 || fcntl(fds[1], F_SETFD, FD_CLOEXEC) < 0) {"),
            (2, "saved = errno;"),
            (2, "close(fds[0]);"),
            (2, "close(fds[1]);"),
            (2, "errno = saved;"),
            (2, "return -1;"),
            (1, "}"),
        ]
    lines += [
        (1, "pid = fork();"),
        (1, "if (pid == 0) {"),
        (2, "close(fds[0]);"),
        (2, f"{n.fd} = fds[1];"),
        (2, "return 0;"),
        (1, "}"),
        (1, "saved = errno;"),
        (1, "close(fds[1]);"),
        (1, "if (pid < 0) {"),
        (2, "close(fds[0]);"),
        (2, "errno = saved;"),
        (2, "return -1;"),
        (1, "}"),
        (1, "for (;;) {"),
        (2, "if (got < sizeof records)"),
        (3, "n = read(fds[0], (char *)records + got, sizeof records - got);"),
        (2, "else"),
        (3, "n = read(fds[0], spare, sizeof spare);"),
        (2, "if (n > 0) {"),
        (3, "if (got < sizeof records)"),
        (4, "got += (size_t)n;"),
        (2, "} else if (n == 0 || errno != EINTR) {"),
        (3, "break;"),
        (2, "}"),
        (1, "}"),
        (1, "close(fds[0]);"),
        (1, "for (i = 0; i + 1 < got / sizeof records[0]; i += 2) {"),
    ]
    for tag, var in enumerate(tags):
        lines += [(2, f"if (records[i] == {tag})"), (3, f"*handoff{var} = records[i + 1];")]
    lines += [
        (1, "}"),
        (1, "errno = saved;"),
        (1, "return pid;"),
        (0, "}"),
        (None, ""),
    ]
    return lines


def insertion_point(fn: Node) -> Node:
    """The node the helpers go above: the function, or the comment block
    right above it."""
    node = fn
    while node.prev_sibling is not None and node.prev_sibling.type == "comment" \
            and node.prev_sibling.end_point.row + 1 >= node.start_point.row:
        node = node.prev_sibling
    return node


@rewrite
class Handoff(Rewrite):
    """A fork-safe child whose only writes the parent reads are hand-offs
    after a failed exec: fork with a close-on-exec pipe carrying them."""

    rule = kind.RULE
    priority = 20

    def applies(self, decision) -> bool:
        return decision.verdict is Verdict.FORK and bool(decision.child.handoffs)

    def check(self, root, site, child) -> None:
        """The type of each hand-off variable, or a review reason when the
        pipe cannot carry it."""
        child.handoff_vars = []
        for h in child.handoffs:
            if any(v.name == h.name for v in child.handoff_vars):
                continue
            var, problem = variable(site.function, root, h.name, site.call.start_byte)
            if problem is not None:
                kind_, fields = problem
                child.review.append(R(kind_, line(h.stmt), stmt=short(h.stmt), name=h.name, **fields))
                return
            child.handoff_vars.append(var)

    def finding(self, target, finding: Finding, key: int, site, decision) -> Finding:
        child = decision.child
        variables = child.handoff_vars
        position = {v.name: i for i, v in enumerate(variables)}
        fname = function_name(site.function) or "child"
        made = names(fname, Either(target.taken_names, target.generated))
        target.generated |= set(vars(made).values())
        options = target.site_options()
        pipe2 = options.target == "glibc" and options.gnu_source
        helper_lines = helpers(made, variables, [position[h.name] for h in child.handoffs], pipe2)
        above = insertion_point(site.function)
        start = layout.line_start(target.source, above.start_byte)
        block = f"handoff:{key:06d}"
        target.blocks[block] = (start, encode_text(target.lines(helper_lines, "")))
        edits = []
        args = ", ".join(f"&{v.name}" for v in variables)
        edits.append(Edit(site.call.start_byte, site.call.end_byte, f"{made.fork}({args})".encode()))
        for tag, h in enumerate(child.handoffs):
            a = h.assignment
            edits.append(Edit(a.start_byte, a.start_byte, f"{made.put}({tag}, ".encode()))
            edits.append(Edit(a.end_byte, a.end_byte, b")"))
        edits += [e for e, _ in analysis.exit_edits(child)]
        shown = ", ".join(f"`{v.name}`" for v in variables)
        reasons = list(decision.reasons)
        reasons.append(R("handoff-pipe", line(site.call), helper=made.fork, names=shown,
                         pipe="pipe2(O_CLOEXEC)" if pipe2 else "pipe and fcntl(FD_CLOEXEC)"))
        if not pipe2:
            reasons.append(R("handoff-pipe-race", line(site.call)))
        reasons += [r for _, r in analysis.exit_edits(child)]
        what = "fork and a close-on-exec pipe"
        fix = Fix(self.rule.applicability, key, tuple(edits),
                  frozenset({"unistd.h", "errno.h", "fcntl.h", block}), kind=self.rule.rule, target=what)
        return replace(finding, message=region.message(decision, what), reasons=tuple(reasons), fix=fix)
