"""vfork called under another name: through a project wrapper or a redirect.

*Wrappers* are macros whose body calls vfork (or another wrapper):
``#define XVFORK() wrap(vfork())``, a statement expression that calls vfork
and dies when it fails.  *Redirects* are ``#define fork vfork`` and
``# define fork() vfork()``: calls spelled ``fork()`` are vfork calls
wherever the line is in effect (the file after it, and the files including
its header).  A *wrapper function* returns vfork's result.

Each such call is a site, analysed like a direct call.  The rewrite is made
where the name is defined, not at the calls (the wrapper's own failure
handling stays as it is):

* a wrapper macro: ``vfork`` in its body becomes ``fork`` when every call
  of it in the tree (directly or through other wrappers) has a fork-safe
  child; the calls themselves change only where a child's ``exit`` must
  become ``_exit``;
* a redirect: its line is removed when it is unconditional and every call
  it reaches is fork-safe;
* a wrapper function stays for review (the child returns from it, which is
  undefined under vfork); its callers are review sites.

Anything else (a call that is not fork-safe, a redirect under ``#if``, a
wrapper whose body does more in the child than return vfork's value) is
review, with the reasons naming the definition and the calls.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Optional

from codemod.core.reasons import For
from codemod.engines.c.proof import outcomes
from codemod.engines.c.project.libc import Kind
from codemod.engines.c.project.knowledge import Knowledge, Wrapper
from codemod.engines.c.frontend.syntax import (
    Node, arguments, call_name, captures, captures_near, declarators, text, unparen, walk,
)

R = For("c")
_VFORK = re.compile(rb"(?<![A-Za-z0-9_])vfork(?![A-Za-z0-9_])")


@dataclass(frozen=True)
class Via:
    """How a call reaches vfork."""

    kind: str           # "wrapper", "wrapper-function" or "redirect"
    name: str           # the name called
    where: str          # file:line of the definition
    definition: str     # `#define fork vfork`, `XVFORK()`: for messages


def calls(root: Node, knowledge: Optional[Knowledge], path: str, aliases: tuple) -> dict:
    """Call tokens through wrappers and redirects: start byte -> (token, Via)."""
    out: dict = {}
    if knowledge is None:
        return out
    present = _words(root.text) if len(knowledge.wrappers) > _FEW_NAMES else None
    names = [name for name in knowledge.wrappers if name not in aliases and name != "vfork"
             and (present is None or name.encode() in present)]     # aliases are direct calls
    by_name = _calls_by_name(root) if len(names) > _FEW_NAMES else None
    for name in names:
        w = knowledge.wrappers[name]
        kind = "wrapper-function" if w.function else "wrapper"
        for tok in _named_calls(root, name) if by_name is None else by_name.get(name, ()):
            out[tok.start_byte] = (tok, Via(kind, name, w.definition.where, f"`{name}()`"))
    for r in knowledge.redirects_for(path):
        d = r.definition
        after = _line_start(root, d.line) if d.path == path else 0
        for tok in _named_calls(root, d.name):
            if tok.start_byte >= after:
                out[tok.start_byte] = (tok, Via("redirect", d.name, d.where, _directive(d)))
    return out


_FEW_NAMES = 8      # beyond this many wrappers, the file's words are listed once
_IDENTIFIER = re.compile(rb"[A-Za-z_][A-Za-z0-9_]*")


def _words(source: bytes) -> frozenset:
    """Every identifier-shaped word of ``source``, in one pass (a tree with
    10,000 wrappers would otherwise search each file 10,000 times)."""
    return frozenset(_IDENTIFIER.findall(source))


def _directive(d) -> str:
    params = "()" if d.params is not None else ""
    return f"`#define {d.name}{params} {' '.join(d.text.split())}`"


def _line_start(root: Node, number: int) -> int:
    src = root.text
    pos = 0
    for _ in range(number - 1 - root.start_point.row):
        pos = src.find(b"\n", pos) + 1
        if pos == 0:
            return len(src)
    return root.start_byte + pos


def _calls_by_name(root: Node) -> dict:
    """Every direct call's name token, by name, from one run of the query
    over the file (the query's matches start at the name, so this is what
    :func:`_named_calls` finds for each name)."""
    out: dict = {}
    for n in captures("call-names", root).get("call.name", []):
        out.setdefault(text(n), []).append(n)
    return out


def _named_calls(root: Node, name: str) -> list:
    found = captures_near(root, name.encode(), "call-names").get("call.name", [])
    return [n for n in found if text(n) == name]


def wrapper_problem(w: Wrapper, options) -> Optional[str]:
    """Why the wrapper's body does more in the child than hand back vfork's
    value, or None.  The child runs the rest of the body with the result 0:
    every `if` must be one the child does not enter (`if (p < 0) die()`),
    every other call must write nothing (C library or summarised helper),
    and every store must go to the body's own variables."""
    from codemod.engines.c.proof.summaries import expansion_function
    if w.function:
        return None
    fn = expansion_function(w.definition.text)
    if fn is None:
        return "its body does not parse as a statement or expression"
    return _body_problem(fn, {"vfork", w.via}, set(), set(), options, 0)


MAX_CHECKERS = 4        # pass-through checkers followed inside one another


def _body_problem(fn: Node, inner: set, results: set, local: set, options, depth: int,
                  returns: Optional[str] = None, where: str = "", first_line: int = 1) -> Optional[str]:
    """Why the child, running ``fn`` with vfork's value in ``results`` (or
    from a call of a name in ``inner``), does more than hand it back.  With
    ``returns``, every `return` must return that variable (a checker
    function: `pid_t xvforkwrap(pid_t pid) { if (pid == -1) die(); return pid; }`)."""
    at = (lambda n: f" ({where.rsplit(':', 1)[0]}:{first_line + n.start_point.row})") if where else (lambda n: "")
    for n in walk(fn):
        if n.type == "init_declarator":
            value = unparen(n.child_by_field_name("value"))
            name = n.child_by_field_name("declarator")
            if name is not None and name.type == "identifier":
                local.add(text(name))
                if value is not None and value.type == "call_expression" and call_name(value) in inner:
                    results.add(text(name))
        elif n.type == "assignment_expression":
            value = unparen(n.child_by_field_name("right"))
            left = unparen(n.child_by_field_name("left"))
            if value is not None and value.type == "call_expression" and call_name(value) in inner \
                    and left.type == "identifier":
                results.add(text(left))

    def is_result(node: Node) -> bool:
        node = unparen(node)
        return node is not None and ((node.type == "identifier" and text(node) in results)
                                     or (node.type == "call_expression" and call_name(node) in inner))

    skipped: list = []
    for n in walk(fn):
        if any(s.start_byte <= n.start_byte and n.end_byte <= s.end_byte for s in skipped):
            continue
        if n.type in ("if_statement", "conditional_expression"):
            cond = n.child_by_field_name("condition")
            taken = outcomes.evaluate(cond, is_result)
            if taken["child"] is not False:
                if taken["child"] is True:
                    # The child certainly enters it: what it runs there is checked like the rest.
                    if n.child_by_field_name("alternative") is not None:
                        skipped.append(n.child_by_field_name("alternative"))
                    continue
                return f"the child may run `if {' '.join(text(cond).split())}` inside it{at(n)}"
            skipped.append(n.child_by_field_name("consequence"))
        elif n.type == "call_expression":
            name = call_name(n)
            if name in inner:
                continue
            spec = options.lookup(name) if name else None      # asks the index, too
            passed = [i for i, a in enumerate(arguments(n)) if is_result(a)]
            if passed and spec is not None and spec.origin:
                # A project function given vfork's value: a checker, when it
                # only tests the value and returns it.
                problem = _checker_problem(name, passed, options, depth)
                if problem is not None:
                    return problem
                skipped.append(n)
                continue
            if spec is None or spec.review is not None or spec.flushes or spec.macro is not None \
                    or spec.kind not in (Kind.SAFE, Kind.DIAG):
                return f"the child runs `{' '.join(text(n).split())[:60]}` inside it{at(n)}"
        elif n.type in ("assignment_expression", "update_expression"):
            target = unparen(n.child_by_field_name("left") if n.type == "assignment_expression"
                             else n.child_by_field_name("argument"))
            if target.type != "identifier" or text(target) not in local | results:
                return f"the child stores to `{text(target)}` inside it{at(n)}"
        elif n.type == "return_statement" and returns is not None:
            value = unparen(n.named_children[0]) if n.named_children else None
            if value is None or value.type != "identifier" or text(value) != returns:
                return f"the child may return `{' '.join(text(n).split())[:60]}` inside it{at(n)}"
    return None


def _checker_problem(name: str, passed: list, options, depth: int) -> Optional[str]:
    """Why the project function ``name``, called with vfork's value as the
    arguments at ``passed``, does more in the child than check that value
    and return it (toybox's `XVFORK()` is `xvforkwrap(vfork())`), or None."""
    knowledge = options.project
    defs = [d for d in knowledge.lookup(name, options.path) if d.kind == "function"] if knowledge else []
    if len({d.text for d in defs}) != 1 or depth >= MAX_CHECKERS or len(passed) != 1:
        why = "its body is not in the analysed tree" if not defs else \
            "it is defined more than once, differently" if len({d.text for d in defs}) > 1 else \
            f"checkers are followed {MAX_CHECKERS} deep" if depth >= MAX_CHECKERS else "it gets the value twice"
        return f"the child passes the vfork value to `{name}()`: {why}"
    d = defs[0]
    from codemod.engines.c.proof.summaries import function_of, param_names
    fn = function_of(d)
    body = fn.child_by_field_name("body") if fn is not None else None
    params = param_names(fn) if fn is not None else {}
    param = next((p for p, (i, _) in params.items() if i == passed[0]), None)
    if body is None or body.has_error or param is None:
        return f"the child passes the vfork value to `{name}()` ({d.where}), which the tool cannot read"
    local = set(params) | {text(i) for n in walk(body) if n.type == "declaration" for i in declarators(n)}
    problem = _body_problem(body, set(), {param}, local, replace(options, path=d.path), depth + 1,
                            returns=param, where=d.where, first_line=d.line)
    if problem is not None:
        return f"`{name}()` ({d.where}), which the vfork value passes through: {problem}"
    return None


def returns_fork(d) -> bool:
    """The definition ``d`` hands back what fork returned, so a zero result
    is a fork child: a macro whose body is `fork()`, or a function whose
    every `return` returns `fork()` or a variable that is only ever
    assigned fork's value (`pid = fork(); if (pid < 0) die(); return pid;`)."""
    if d.kind == "macro":
        return d.params == () and " ".join(d.text.split()) in ("fork()", "(fork())")
    if d.kind != "function":
        return False
    from codemod.engines.c.proof.summaries import function_of
    fn = function_of(d)
    body = fn.child_by_field_name("body") if fn is not None else None
    if body is None or body.has_error:
        return False
    results: set = set()
    stored: set = set()
    for n in walk(body):
        if n.type in ("init_declarator", "assignment_expression"):
            left = unparen(n.child_by_field_name("declarator" if n.type == "init_declarator" else "left"))
            value = unparen(n.child_by_field_name("value" if n.type == "init_declarator" else "right"))
            if left is None or left.type != "identifier":
                continue
            if value is not None and value.type == "call_expression" and call_name(value) == "fork" \
                    and (n.type == "init_declarator" or n.child_by_field_name("operator").type == "="):
                results.add(text(left))
            else:
                stored.add(text(left))
        elif n.type == "update_expression":
            target = unparen(n.child_by_field_name("argument"))
            if target is not None and target.type == "identifier":
                stored.add(text(target))
        elif n.type == "pointer_expression" and text(n).startswith("&"):
            stored.add(text(n.child_by_field_name("argument")))
    returns = [n for n in walk(body) if n.type == "return_statement"]
    if not returns or results & stored:
        return False
    for r in returns:
        value = unparen(r.named_children[0]) if r.named_children else None
        if value is None:
            return False
        if not ((value.type == "identifier" and text(value) in results)
                or (value.type == "call_expression" and call_name(value) == "fork"
                    and not arguments(value))):
            return False
    return True


def vfork_edits(arg: Node) -> list:
    """Byte ranges of `vfork` in a macro body, outside strings and comments."""
    from codemod.engines.c.project.knowledge import blank_literals
    body = arg.text
    code = blank_literals(body.decode("utf-8", "surrogateescape")).encode("utf-8", "surrogateescape")
    if len(code) != len(body):
        return []
    return [(arg.start_byte + m.start(), arg.start_byte + m.end()) for m in _VFORK.finditer(code)]


