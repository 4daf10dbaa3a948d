"""Find the vfork references in a C file and delimit each child region.

A *site* is a call of vfork.  Locating it answers: which expression holds
the result (the pid variable), which statement performs the call (the
anchor), and which statements only the child executes (the region).  The
shapes recognised are listed in docs/preprocessor.md; anything else makes the site a
review site with a reason naming the statement.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Optional

from codemod.core import region
from codemod.core.outcomes import is_error_test
from codemod.core.reasons import For
from codemod.engines.c.proof import outcomes
from codemod.engines.c.frontend.syntax import (
    PREPROC_BRANCHES, Node, ancestors, arguments, call_name, captures_near, enclosing, function_name, has_inner, in_error, index,
    line, short, squash, statements, text, unparen, walk,
)

R = For("c")

PREPROC_ALTERNATIVES = {"preproc_else", "preproc_elif", "preproc_elifdef"}
LEAVING = {"return_statement", "goto_statement", "break_statement", "continue_statement"}


@dataclass
class Reference:
    """A `vfork` that is not a call, reported as a note."""

    node: Node
    line: int
    column: int
    what: str
    macro_body: bool = False             # in the body of a #define


@dataclass
class Region:
    """The statements only the child executes, and how to delete them."""

    kind: str                 # "branch", "else", "case" or "fallthrough"
    body: list                # statement nodes
    owner: Node               # the if_statement, case_statement or container
    # (start, end, whole_lines): what removing the child deletes, for the
    # spawn rewrite; whole_lines widens the range to the lines it covers.
    delete: Optional[tuple] = None


@dataclass
class Site:
    """One vfork call in C: where its value goes, the statement making it, and its child region once found."""

    call: Node
    token: Node
    function: Optional[Node]
    result: Optional[Node] = None        # lvalue receiving vfork's value
    declarator: Optional[Node] = None    # init_declarator for `pid_t pid = vfork();`
    assignment: Optional[Node] = None    # `pid = vfork()` inside a condition
    value: Optional[Node] = None         # what carries vfork's value: the call, or `c ? fork() : vfork()`
    anchor: Optional[Node] = None        # the statement performing the call
    region: Optional[Region] = None
    review: list = field(default_factory=list)     # reasons a person must decide
    no_spawn: list = field(default_factory=list)   # shape reasons that rule out spawn
    error_path: bool = False             # the code tests for vfork failure
    repeated: list = field(default_factory=list)   # stores both processes make before they part
    repeated_calls: list = field(default_factory=list)   # calls both make before they part (proved in reading)
    failure_runs_child: Optional[Node] = None  # the failure case that falls into the child's case

    @property
    def line(self) -> int:
        return line(self.token)

    def block(self, reason) -> None:
        self.review.append(reason)


def find_references(root: Node, aliases=()) -> tuple[list[Node], list[Reference]]:
    """Split every `vfork` token into call tokens and other references.
    Calls of configured aliases (`xvfork()`) are call tokens too."""
    found = captures_near(root, b"vfork", "vfork-references")
    calls: list[Node] = []
    refs: list[Reference] = []
    if aliases:
        wanted = set(aliases)
        for alias in wanted:
            calls += [n for n in captures_near(root, alias.encode(), "call-names").get("call.name", [])
                      if text(n) == alias]
    for tok in found.get("vfork.ref", []):
        parent = tok.parent
        if parent is not None and parent.type == "call_expression" and parent.child_by_field_name("function") == tok:
            args = parent.child_by_field_name("arguments")
            if args is None or squash(args) != "(void)":
                calls.append(tok)
                continue
            # `pid_t vfork(void) __attribute__...;` that tree-sitter read as a
            # call (an ERROR around it): `(void)` is no argument list.
            refs.append(Reference(tok, line(tok), tok.start_point.column + 1, "declaration of vfork"))
            continue
        refs.append(Reference(tok, line(tok), tok.start_point.column + 1, _describe(tok)))
    for arg in found.get("vfork.macro", []):
        from codemod.engines.c.project.knowledge import blank_literals
        body = blank_literals(arg.text.decode("utf-8", "surrogateescape")).encode("utf-8", "surrogateescape")
        for m in re.finditer(rb"(?<![A-Za-z0-9_])vfork(?![A-Za-z0-9_])", body):
            before = body[: m.start()]
            row = arg.start_point.row + before.count(b"\n")
            col = (m.start() - before.rfind(b"\n") - 1) if b"\n" in before else arg.start_point.column + m.start()
            refs.append(Reference(arg, row + 1, col + 1, _describe_macro(arg), _in_definition(arg)))
    calls.sort(key=lambda n: n.start_byte)
    return calls, refs


def _describe(tok: Node) -> str:
    p = tok.parent
    kinds = {
        "function_declarator": "declaration of vfork",
        "preproc_def": "macro named vfork",
        "preproc_function_def": "macro named vfork",
        "pointer_expression": "address of vfork taken",
        "argument_list": "vfork passed as a value",
        "init_declarator": "vfork stored as a value",
        "assignment_expression": "vfork stored as a value",
    }
    if p is not None and p.type == "function_declarator" and enclosing(tok, "function_definition"):
        fn = enclosing(tok, "function_definition")
        if fn.child_by_field_name("declarator") == p:
            return "definition of vfork"
    return kinds.get(p.type if p is not None else "", "vfork used as a value")


def _in_definition(arg: Node) -> bool:
    """``arg`` is the body of a #define (object- or function-like)."""
    return arg.parent is not None and arg.parent.type in ("preproc_def", "preproc_function_def")


def _describe_macro(arg: Node) -> str:
    directive = arg.parent
    if directive is not None and directive.type == "preproc_call":
        return f"vfork named in {text(directive.child_by_field_name('directive'))}"
    if directive is not None and directive.type in ("preproc_def", "preproc_function_def"):
        name = directive.child_by_field_name("name")
        return f"macro {text(name)} expands to vfork"
    return "vfork inside a preprocessor line"


# --------------------------------------------------------------------------
# Locating a call's result, anchor and child region.

def locate(tok: Node, is_exit=None, forks=None) -> Site:
    """The site of the call ``tok`` names.  ``is_exit(call)`` says a call
    never returns (the C library's, and what the project index knows);
    ``forks(call, when)`` that a call returns what fork returns (a wrapper
    the index read) whenever it runs under the condition ``when`` (None:
    any), for `c ? xfork() : vfork()`."""
    call = tok.parent
    site = Site(call=call, token=tok, function=enclosing(tok, "function_definition"))
    if in_error(call):
        site.block(R("site-in-error", line(call)))
        return site
    if site.function is None:
        site.block(R("site-outside-function", line(call)))
        return site
    _bind(site, forks or _forks)
    if site.review:
        return site
    _find_region(site, is_exit or exits)
    if not site.review:
        _find_error_path(site)
    return site


def _up(node: Node) -> Node:
    """Skip enclosing parentheses."""
    p = node.parent
    while p is not None and p.type == "parenthesized_expression":
        node, p = p, p.parent
    return p


FORKS = {"fork", "vfork"}


def _forks(call: Node, when: Optional[Node] = None) -> bool:
    return call_name(call) in FORKS


def _arm(conditional: Node, field: str) -> Optional[Node]:
    return unparen(conditional.child_by_field_name(field))


def _other_arm(conditional: Node, value: Node) -> Optional[Node]:
    """The arm of ``conditional`` that ``value`` is not, or None when ``value`` is its condition."""
    arms = [unparen(conditional.child_by_field_name(f)) for f in ("consequence", "alternative")]
    if unparen(value) not in arms or None in arms:
        return None
    return arms[1] if arms[0] == unparen(value) else arms[0]


def _through_conditionals(site: Site, forks) -> Optional[Node]:
    """What carries vfork's value: the call, or the conditional expressions
    (`BB_MMU ? xfork() : vfork()`) whose other arm forks.  Whichever arm
    runs, a zero result is a child that must exec or exit, so the region
    is the same; the rewrite changes only the vfork arm (posix_spawn would
    replace both, so such a site is fork).  None, with a review reason,
    when another arm is not a fork."""
    value = site.call
    while True:
        outer = _up(value)
        if outer is None or outer.type != "conditional_expression":
            return value
        other = _other_arm(outer, value)
        if other is None:
            return value
        # The arm forks when it runs: under `c ? arm : vfork()` that is when `c` holds.
        when = unparen(outer.child_by_field_name("condition")) if other == _arm(outer, "consequence") else None
        if other.type != "call_expression" or arguments(other) or not forks(other, when):
            site.block(R("conditional-other-arm", line(site.call), expr=short(outer), arm=short(other)))
            return None
        if "conditional-fork" not in [r.kind for r in site.no_spawn]:
            site.no_spawn.append(R("conditional-fork", line(site.call), expr=short(outer)))
        value = outer


def _bind(site: Site, forks=_forks) -> None:
    call = _through_conditionals(site, forks)
    if call is None:
        return
    site.value = call
    outer = _up(call)
    ctl = _controlling(call)
    if outer.type == "assignment_expression" and outer.child_by_field_name("right") is not None \
            and unparen(outer.child_by_field_name("right")) == call:
        op = outer.child_by_field_name("operator")
        if op is None or op.type != "=":
            site.block(R("result-combined", line(call), op=text(op)))
            return
        site.result = outer.child_by_field_name("left")
        if not _pure_lvalue(site.result):
            site.block(R("result-impure", line(call), target=text(site.result)))
            return
        holder = _up(outer)
        if holder.type == "expression_statement":
            site.anchor = holder
            return
        if ctl is not None:
            site.anchor, site.assignment = ctl, outer
            return
        site.block(R("result-used-inside", line(call), holder=short(holder)))
        return
    if outer.type == "init_declarator" and unparen(outer.child_by_field_name("value")) == call:
        site.declarator = outer
        site.result = outer.child_by_field_name("declarator")
        if site.result.type != "identifier":
            site.block(R("result-stored-in", line(call), target=text(site.result)))
            return
        site.anchor = outer.parent
        return
    if ctl is not None:
        site.anchor = ctl
        return
    if outer.type == "return_statement":
        site.block(R("result-returned", line(call), function=_fname(site)))
    elif outer.type == "argument_list":
        site.block(R("result-passed", line(call), call=short(outer.parent)))
    elif outer.type == "expression_statement":
        site.block(R("result-discarded", line(call)))
    else:
        site.block(R("result-used-in", line(call), expr=short(outer)))


def _fname(site: Site) -> str:
    return function_name(site.function) or "the function"


def _pure_lvalue(node: Node) -> bool:
    return not has_inner(node, ("call_expression", "assignment_expression", "update_expression"))


def _controlling(call: Node) -> Optional[Node]:
    """The if/switch/while/for whose condition contains the call, if any."""
    node = call
    for a in ancestors(call):
        if a.type in ("if_statement", "switch_statement", "while_statement", "for_statement"):
            return a if a.child_by_field_name("condition") == node else None
        if a.type not in ("parenthesized_expression", "binary_expression", "unary_expression",
                          "assignment_expression", "cast_expression"):
            return None
        node = a
    return None


def _is_result(site: Site):
    want = squash(site.result) if site.result is not None else None

    def check(node: Node) -> bool:
        node = unparen(node)
        if node is None:
            return False
        if node == site.call or node == site.assignment or (node == site.value and node is not None):
            return True
        return want is not None and node.type in ("identifier", "field_expression", "subscript_expression") \
            and squash(node) == want
    return check


def _find_region(site: Site, is_exit) -> None:
    anchor = site.anchor
    if anchor.type in ("while_statement", "for_statement"):
        # `while ((pid = vfork()) < 0) sleep(1);`, `for (i = 0; (pid = vfork()) == NOTOK && i < 5; i++)`:
        # the child must leave the loop at once (its update never runs in the child).
        truth = outcomes.evaluate(anchor.child_by_field_name("condition"), _is_result(site))
        if truth["child"] is not False:
            site.block(R("retry-loop-unclear", line(anchor)))
            return
        site.no_spawn.append(R("retry-loop", line(anchor)))
        _scan(site, anchor, False, is_exit)
        return
    loop = _retry_break(site)
    if loop is not None:
        # `for (...) { pid = vfork(); if (pid >= 0) break; sleep(1); }`
        # (libiberty's pex-unix.c): child and parent leave the loop at
        # once, only a failed vfork goes round again; the region follows
        # the loop.
        site.no_spawn.append(R("retry-break", line(loop)))
        _scan(site, loop, False, is_exit)
        return
    _scan(site, anchor, anchor.type in ("if_statement", "switch_statement"), is_exit)


_LOOPS = frozenset({"for_statement", "while_statement", "do_statement"})


def _retry_break(site: Site) -> Optional[Node]:
    """The loop whose body is `pid = vfork(); if (<child and parent>) break;
    ...` (the call's statement first after any set-up, the `if` right
    after it, without an else), or None."""
    anchor = site.anchor
    body = anchor.parent
    if anchor.type != "expression_statement" or body is None or body.type != "compound_statement" \
            or body.parent is None or body.parent.type not in _LOOPS \
            or body.parent.child_by_field_name("body") != body:
        return None
    siblings = statements(body)
    idx = siblings.index(anchor)
    test = siblings[idx + 1] if idx + 1 < len(siblings) else None
    if test is None or test.type != "if_statement" or test.child_by_field_name("alternative") is not None:
        return None
    then = test.child_by_field_name("consequence")
    inner = statements(then) if then.type == "compound_statement" else [then]
    if len(inner) != 1 or inner[0].type != "break_statement":
        return None
    truth = outcomes.evaluate(test.child_by_field_name("condition"), _is_result(site))
    if truth["child"] is not True or truth["parent"] is not True or truth["error"] is not False:
        return None
    return body.parent


class Syntax:
    """How :mod:`codemod.core.region` reads C (tree-sitter nodes)."""

    language = "c"

    def line(self, node: Node) -> int:
        return line(node)

    def show(self, node: Node) -> str:
        return short(node)

    def returns(self, stmt: Node) -> bool:
        return stmt.type == "return_statement"

    def evaluate(self, condition: Node, is_result) -> dict:
        return outcomes.evaluate(condition, is_result)

    def mentions(self, node: Node, is_result) -> bool:
        return any(is_result(n) for n in walk(node))

    def if_parts(self, stmt: Node):
        if stmt.type != "if_statement":
            return None
        clause = stmt.child_by_field_name("alternative")
        alt = clause.named_children[-1] if clause is not None else None
        alternative = None if alt is None else ("if" if alt.type == "if_statement" else "else", alt)
        return stmt.child_by_field_name("condition"), [stmt.child_by_field_name("consequence")], alternative

    def region(self, kind: str, stmt: Node) -> Region:
        cons = stmt.child_by_field_name("consequence")
        clause = stmt.child_by_field_name("alternative")
        alt = clause.named_children[-1] if clause is not None else None
        if kind == "branch":
            return Region("branch", [cons], stmt, _delete_branch(stmt, cons, clause, alt))
        return Region("else", [alt], stmt, (cons.end_byte, clause.end_byte, False))

    def fallthrough(self, stmts: list) -> Region:
        return Region("fallthrough", stmts, stmts[0].parent)

    def shape(self, stmt: Node) -> tuple:
        t = stmt.type
        if t in LEAVING:
            return ("leaves",)
        if t == "compound_statement":
            return ("block", statements(stmt))
        if t == "expression_statement":
            expr = stmt.named_children[0] if stmt.named_children else None
            return ("call", expr) if expr is not None and expr.type == "call_expression" else ("other",)
        if t == "if_statement":
            alt = stmt.child_by_field_name("alternative")
            return ("if", [stmt.child_by_field_name("consequence")], None if alt is None else [alt.named_children[-1]])
        if t in ("while_statement", "for_statement"):
            cond = stmt.child_by_field_name("condition")
            forever = cond is None or text(cond).strip("() ") in ("1", "")
            return ("loop", forever, has_inner(stmt, ("break_statement",)))
        return ("other",)


SYNTAX = Syntax()


def exits(call: Node) -> bool:
    """The call is one of the C library's calls that never return (the
    table's EXIT entries: _exit, exit, abort, the err(3) family)."""
    from codemod.engines.c.project import libc
    spec = libc.lookup(call_name(call) or "")
    return spec is not None and spec.kind is libc.Kind.EXIT


def _scan(site: Site, anchor: Node, include_anchor: bool, is_exit) -> None:
    """Walk the statements after the call until only the child is left,
    climbing out of `#if` branches (C's part of the walk)."""
    scan = region.Scan(SYNTAX, _is_result(site), is_exit, site.review, site.no_spawn)
    live = set(region.ALL)
    node, first = anchor, include_anchor
    while True:
        container = node.parent
        siblings = statements(container)
        idx = siblings.index(node)
        rest = siblings[idx:] if first else siblings[idx + 1:]
        first = False
        if container.type in PREPROC_BRANCHES:
            # A branch ends where `#else` / `#elif` begins.
            ends = [i for i, n in enumerate(rest) if n.type in PREPROC_ALTERNATIVES]
            rest = rest[: ends[0]] if ends else rest
        live = region.scan(scan, rest, live, R, lambda stmt, live: _other(site, scan, stmt, live))
        if live is None:
            if scan.region is not None:
                site.region = scan.region
            return
        if container.type == "labeled_statement":
            # `retry: pid = vfork();`: the statements after the label's
            # statement follow it in the enclosing block.
            node = container
            continue
        if container.type in PREPROC_BRANCHES:
            # `#ifdef HAVE_VFORK pid = vfork(); #else pid = fork(); #endif`:
            # the region that follows is shared with the other branch.
            while container.type in PREPROC_ALTERNATIVES:
                container = container.parent
            site.no_spawn.append(R("preproc-shared-region", line(container), directive=_directive(container)))
            node = container
            continue
        site.block(R("block-end-reached", line(container) if container.type != "compound_statement"
                     else container.end_point.row + 1))
        return


def _other(site: Site, scan, stmt: Node, live: set):
    """C statements between vfork and the child's branch: a switch on the
    result, declarations, preprocessor lines."""
    if stmt.type == "switch_statement" and scan.is_result(stmt.child_by_field_name("condition")):
        _split_switch(site, stmt, live, scan)
        return "done"
    if stmt.type == "declaration" and not any(
            n.type in ("call_expression", "assignment_expression", "update_expression")
            or (n.type == "identifier" and scan.is_result(n)) for n in walk(stmt)):
        return "skip"
    if stmt.type in PREPROC_BRANCHES or stmt.type.startswith("preproc_"):
        site.block(R("preproc-before-branch", line(stmt), stmt=short(stmt)))
        return "done"
    if _repeated_store(site, stmt, scan.is_result):
        site.no_spawn.append(R("repeated-store", line(stmt), stmt=short(stmt)))
        return "skip"
    if _plain_call(stmt):
        # `xmove_fd(cfd, 0);`: what it does must be proved by the analysis
        # (codemod.engines.c.reading), or the site is review after all.
        site.repeated_calls.append(stmt)
        site.no_spawn.append(R("repeated-call", line(stmt), stmt=short(stmt)))
        return "skip"
    return None


def _plain_call(stmt: Node) -> bool:
    """``stmt`` is `f(args);`, a named function whose arguments read
    variables and constants only."""
    if stmt.type != "expression_statement" or stmt.named_child_count != 1:
        return False
    call = stmt.named_children[0]
    if call.type != "call_expression" or call.child_by_field_name("function").type != "identifier":
        return False
    return all(n.type in _PLAIN and (n.type != "field_expression" or text(n.child_by_field_name("operator")) == ".")
               for arg in arguments(call) for n in walk(arg) if n.is_named)


# What the value of a store both processes repeat may be made of: it reads
# variables and constants, and calls, stores or dereferences nothing.
_PLAIN = {"identifier", "number_literal", "char_literal", "string_literal", "string_content", "escape_sequence",
          "null", "true", "false", "parenthesized_expression", "binary_expression", "unary_expression",
          "cast_expression", "type_descriptor", "primitive_type", "type_identifier", "sized_type_specifier",
          "abstract_pointer_declarator", "field_expression", "field_identifier", "subscript_expression",
          "sizeof_expression", "conditional_expression", "comment"}


def _repeated_store(site: Site, stmt: Node, is_result) -> bool:
    """``stmt`` (between vfork and the test of its result) is `x = value;`
    that the parent, running it after the child, makes exactly as under
    fork: the value reads nothing any such store writes (`io = pvec[0];`,
    `errno = 0;`).  Under vfork the child's store lands first and the
    parent's replaces it; under fork each makes its own: the parent ends
    with the same value either way, and the child runs it as before.  The
    store then stays for both processes, so the site is fork."""
    if stmt.type != "expression_statement" or stmt.named_child_count != 1:
        return False
    expr = stmt.named_children[0]
    if expr.type != "assignment_expression" or expr.child_by_field_name("operator").type != "=":
        return False
    left, right = unparen(expr.child_by_field_name("left")), unparen(expr.child_by_field_name("right"))
    target = _store_base(left)
    if target is None or is_result(left) or right is None:
        return False
    reads = set()
    for n in walk(right):
        if not n.is_named:
            continue
        if n.type not in _PLAIN or (n.type == "field_expression" and text(n.child_by_field_name("operator")) != ".") \
                or (n.type == "unary_expression" and text(n.child_by_field_name("operator")) not in "-+!~"):
            return False
        if n.type == "identifier":
            reads.add(text(n))
    index = left.child_by_field_name("index") if left.type == "subscript_expression" else None
    if index is not None and index.type not in ("number_literal", "identifier"):
        return False
    if index is not None and index.type == "identifier":
        reads.add(text(index))
    written = {t for t, _ in site.repeated} | {target}
    if reads & written or any(target in r for _, r in site.repeated):
        return False
    site.repeated.append((target, reads))
    return True


def _store_base(left: Optional[Node]) -> Optional[str]:
    """The variable a store to ``left`` changes: `x`, `s.f`, `a[i]`; None for anything else."""
    if left is None:
        return None
    if left.type == "identifier":
        return text(left)
    if left.type == "field_expression" and text(left.child_by_field_name("operator")) == "." \
            and unparen(left.child_by_field_name("argument")).type == "identifier":
        return text(unparen(left.child_by_field_name("argument")))
    if left.type == "subscript_expression" and unparen(left.child_by_field_name("argument")).type == "identifier":
        return text(unparen(left.child_by_field_name("argument")))
    return None


def _directive(node: Node) -> str:
    return text(node).split("\n", 1)[0].strip()


def _delete_branch(stmt: Node, cons: Node, alt_clause: Optional[Node], alt: Optional[Node]) -> tuple:
    """Byte range removing the child's `if (...) {...}` and keeping any else part."""
    if alt is not None:
        return (stmt.start_byte, alt.start_byte, False)
    parent = stmt.parent
    if parent is not None and parent.type == "else_clause":
        outer = parent.parent
        return (outer.child_by_field_name("consequence").end_byte, parent.end_byte, False)
    return (stmt.start_byte, stmt.end_byte, True)


def _split_switch(site: Site, stmt: Node, live: set, scan) -> None:
    body = stmt.child_by_field_name("body")
    cases = [c for c in statements(body)]
    for i, case in enumerate(cases):
        if case.type != "case_statement" or outcomes.case_value(case) != 0:
            continue
        stmts = [c for c in statements(case) if c != case.child_by_field_name("value")]
        if not stmts:
            site.block(R("case-shared", line(case)))
            return
        if i > 0 and cases[i - 1].type == "case_statement":
            prev = [c for c in statements(cases[i - 1]) if c != cases[i - 1].child_by_field_name("value")]
            if prev and outcomes.case_value(cases[i - 1]) == -1 and not region.leaves(SYNTAX, prev, scan.is_exit):
                # MH's `case NOTOK: advise(...); case OK:`: when vfork fails
                # the parent runs the child's code itself.  That run is the
                # same after fork fails; posix_spawn has no code to run.
                site.failure_runs_child = cases[i - 1]
                site.no_spawn.append(R("failure-runs-child", line(cases[i - 1])))
            elif not prev or not region.leaves(SYNTAX, prev, scan.is_exit):
                site.block(R("case-fallthrough", line(case)))
                return
        site.region = Region("case", stmts, case, (case.start_byte, case.end_byte, True))
        return
    site.block(R("switch-no-child", line(stmt)))


def _find_error_path(site: Site) -> None:
    """Does the code test for vfork failure (`pid < 0`, `pid == -1`, `case -1`)?"""
    if site.result is None:
        return
    is_result = _is_result(site)
    start = site.anchor.start_byte
    kinds = ("if_statement", "while_statement", "conditional_expression", "switch_statement")
    for n in index(site.function).of(*kinds):
        if n.start_byte < start:
            continue
        if n.type == "if_statement" and n.parent.type != "else_clause" and \
                region.chain_has_error_branch(SYNTAX, n, is_result):
            site.error_path = True
            return
        if n.type in ("while_statement", "conditional_expression") and \
                is_error_test(outcomes.evaluate(n.child_by_field_name("condition"), is_result)):
            site.error_path = True
            return
        if n.type == "switch_statement" and is_result(n.child_by_field_name("condition")):
            for case in walk(n.child_by_field_name("body")):
                if case.type == "case_statement" and (outcomes.case_value(case) or 0) < 0:
                    site.error_path = True
                    return


def always_leaves(stmt: Node) -> bool:
    """Control never reaches the end of ``stmt`` (return, exit, goto, ...)."""
    return region.leaves(SYNTAX, [stmt], exits)


def always_leaves_list(stmts: list) -> bool:
    return region.leaves(SYNTAX, stmts, exits)


def can_reach_end(block: Node) -> bool:
    """Control can run off the end of a compound statement (e.g. a function body)."""
    return not always_leaves_list(statements(block))
