"""What a project helper does when a child calls it.

A function defined in the tree is analysed like a child region (the same
checker, :mod:`codemod.engines.c.proof.analysis`), with its parameters as its own
locals, and summarised as a :class:`codemod.engines.c.project.libc.Spec`:

* writes nothing the parent shares (``SAFE``; writes through pointer
  parameters become out-arguments the caller must place in the child);
* writes only diagnostics to stderr (``DIAG``);
* never returns (``EXIT``: every path ends in _exit, abort, an exec
  wrapper or another such helper; ``flushes`` when that is exit());
* or may not be called in a child (``review``: which variable it writes,
  which call it makes, at which line of which file).

A function-like macro is not summarised on its own: its expansion is
analysed at the call site (:meth:`codemod.engines.c.proof.analysis._Checker.expand`).
Helpers calling helpers recurse up to :data:`MAX_DEPTH`; a helper met again
while being summarised counts as writing nothing and possibly returning
(the least fixed point of what a cycle writes), and calls through function
pointers stay unknown.
"""
from __future__ import annotations

from dataclasses import replace
from typing import Optional

from codemod.core import region
from codemod.engines.c.project.libc import EXEC_WRAPPER, Kind, Spec
from codemod.engines.c.project.knowledge import NORETURN_WORDS, Definition, Knowledge
from codemod.engines.c.proof import sites
from codemod.engines.c.frontend.syntax import Node, declarators, has_inner, parse, statements, text, unparen

MAX_DEPTH = 6
MAX_VARIANTS = 8     # differing definitions of one name summarised before it counts as ambiguous


def spec(name: str, knowledge: Knowledge, options, stack: tuple = (), arity: Optional[int] = None,
         functions: bool = False) -> Optional[Spec]:
    """The Spec of project name ``name`` as seen from ``options.path``, or
    None.  With ``arity`` (a call's argument count), function definitions
    taking another count are left out: in a tree of many programs the
    kernel's `unlink(p, uap, retval)` is not what a program's `unlink(path)` calls.
    With ``functions``, macros of that name are left out (the name inside
    the macro's own expansion)."""
    defs = knowledge.lookup(name, options.path)
    if arity is not None:
        defs = [d for d in defs if d.kind != "function" or takes(d, arity)]
    if functions:
        defs = [d for d in defs if d.kind != "macro"]
    if not defs:
        return None
    # What a helper does does not depend on who calls it, only on which
    # definitions the caller's file sees (its own statics first).
    key = (name, tuple((d.path, d.line) for d in defs),
           options.path if all(d.kind == "declaration" for d in defs) else None)   # declarations only: named per file
    # A summary depends on how many levels are left below it when its chain
    # reaches MAX_DEPTH: it is kept with the levels it used, and one that
    # met the limit is kept for that many levels left only, so that every
    # summary is the same whatever was summarised first (in any process).
    # Each summary keeps the names it asked the index about: a file whose
    # analysis reuses it asks them too (the index learns one level of
    # helpers a round, and redoes the files whose questions got answers).
    memo = knowledge.summaries
    asked = options.asked
    level, left = len(stack), MAX_DEPTH - len(stack)
    entry = memo.get(key)
    if entry is not None and entry[1] < left:
        memo[_DEEPEST] = max(memo.get(_DEEPEST, 0), level + entry[1])
        _ask(asked, entry[2])
        return entry[0]
    limited = memo.get((key, left))
    if limited is not None:
        memo[_DEEPEST] = MAX_DEPTH
        _ask(asked, limited[1])
        return limited[0]
    heads, outer = memo.get(_CYCLES, _NONE), memo.get(_DEEPEST, 0)
    memo[_DEEPEST], memo[_CYCLES] = level, _NONE
    mine: set = set()
    found = _spec(name, defs, knowledge, replace(options, asked=mine), stack)
    _ask(asked, mine)
    mine = frozenset(mine)
    deepest, lowest = memo[_DEEPEST], memo[_CYCLES]
    memo[_DEEPEST], memo[_CYCLES] = max(outer, deepest), min(heads, lowest)
    # A summary that leaned on a helper still being summarised above it
    # (a cycle through a caller) holds only within that caller's summary;
    # one whose cycles all come back to itself is complete (the heirloom
    # tree summarised 1,073 helper calls 268,000 times when every summary
    # that met a cycle was dropped).
    if lowest >= level:
        if deepest >= MAX_DEPTH:
            memo[(key, left)] = (found, mine)
        else:
            memo[key] = (found, deepest - level, mine)
    return found


def _ask(asked: Optional[set], names) -> None:
    if asked is not None:
        asked.update(names)


_CYCLES = "lowest level a cycle went back to"
_NONE = MAX_DEPTH + 1
_DEEPEST = "deepest level reached"


def _spec(name: str, defs: list, knowledge: Knowledge, options, stack: tuple) -> Spec:
    macros = [d for d in defs if d.kind == "macro"]
    if macros:
        return _macro(name, macros, knowledge, options, stack)
    functions = list({d.text: d for d in defs if d.kind == "function"}.values())
    if len(functions) > MAX_VARIANTS:
        return _review(functions[0], "helper-ambiguous", others=f"and {len(functions) - 1} more")
    if functions:
        specs = [_function(d, knowledge, options, stack) for d in functions]
        if any(s != specs[0] for s in specs[1:]):
            joined = _join(functions, specs)
            if joined is not None:
                return joined
            return _review(functions[0], "helper-ambiguous",
                           others=", ".join(d.where for d in functions[1:]))
        if specs[0].kind is not Kind.EXIT and any(noreturn_declared(d, knowledge, options) for d in defs):
            # Declared noreturn (as the compiler trusts it): a failure branch
            # ending in it does not fall through, whatever its body says.
            return replace(specs[0], kind=Kind.EXIT)
        return specs[0]
    decl = next((d for d in defs if d.path == options.path), defs[0])     # the caller's own declaration first
    if noreturn_declared(decl, knowledge, options):
        return Spec(Kind.EXIT, origin=_origin(decl), review=("helper-no-body", {
            "name": name, "where": decl.where, "what": "is declared noreturn"}))
    return _review(decl, "helper-no-body", what="is declared")


def _join(functions: list, specs: list) -> Optional[Spec]:
    """One Spec for a call that may reach any of ``functions`` (defined
    differently under `#if`s, or in files of which the build links one):
    the first definition a child may not call decides (its reason, named
    with that definition), otherwise what holds for every one of them
    (never returns only if none returns; writes what any writes).  None
    when they differ in a way no single Spec says (a macro to expand)."""
    for d, spec in zip(functions, specs):
        if spec.review is not None:
            kind, fields = spec.review
            if "why" in fields:
                fields = {**fields, "why": fields["why"] + _one_of(d, functions)}
            # Only what every definition does on its way out is.
            fields["outbound"] = all(s.review is None or s.review[1].get("outbound") for s in specs)
            return replace(spec, review=(kind, fields), origin=_origin(d), execs=any(s.execs for s in specs))
    if any(spec.macro is not None for spec in specs):
        return None
    kinds = {spec.kind for spec in specs}
    if kinds == {Kind.EXIT}:
        kind = Kind.EXIT
    elif kinds - {Kind.EXIT} <= {Kind.SAFE}:
        kind = Kind.SAFE
    elif kinds - {Kind.EXIT} <= {Kind.SAFE, Kind.DIAG}:
        kind = Kind.DIAG
    else:
        return None
    return Spec(kind, tuple(sorted({i for spec in specs for i in spec.out_args})), origin=_origin(functions[0]),
                beyond=next((spec.beyond for spec in specs if spec.beyond is not None), None),
                flushes=any(spec.flushes for spec in specs), execs=any(spec.execs for spec in specs),
                dies=all(spec.dies for spec in specs))


def _one_of(d: Definition, functions: list) -> str:
    others = ", ".join(f.where for f in functions if f is not d)
    return f" (of its {len(functions)} definitions, the one at {d.where}; the others: {others})"


def takes(d: Definition, arity: int) -> bool:
    """A call with ``arity`` arguments may call the function ``d``: its parameter list
    has that many, is variadic with no more before `...`, or is unknown
    (`f()` in old C, or a list the tool cannot read)."""
    key = (d.path, d.line, len(d.text))
    shape = _SHAPES.get(key)
    if shape is None:
        if len(_SHAPES) >= _MAX_SHAPES:
            _SHAPES.clear()
        shape = _SHAPES[key] = _shape(d)
    least, most = shape
    return least <= arity and (most is None or arity <= most)


_SHAPES: dict = {}          # (path, line, length) -> the argument counts a definition takes
_MAX_SHAPES = 100_000


def _shape(d: Definition) -> tuple:
    """(fewest, most or None for any number) arguments a call of ``d`` may pass."""
    fn = function_of(d)
    decl = _declarator(fn) if fn is not None else None
    params = decl.child_by_field_name("parameters") if decl is not None else None
    if params is None or params.has_error:
        return 0, None
    items = [c for c in params.named_children if c.type != "comment"]
    if not items:
        return 0, None                  # `f()`: no prototype
    if any(c.type == "variadic_parameter" for c in items) or text(params).rstrip(") \t\n").endswith("..."):
        return len(items) - 1, None
    if len(items) == 1 and " ".join(text(items[0]).split()) == "void":
        return 0, 0
    return len(items), len(items)


def noreturn_declared(d: Definition, knowledge: Knowledge, options, depth: int = 0) -> bool:
    """``d`` carries noreturn: the attribute, `_Noreturn`, `[[noreturn]]`, or
    a project macro whose body says one of those (`NORETURN`, `__dead`)."""
    for word in d.words:
        if word in NORETURN_WORDS:
            return True
        if depth < 4 and word != d.name:
            if len(word) > 2 and (word.startswith("_") or word.isupper()):
                _ask(options.asked, (word,))        # spelled like an attribute macro (`NORETURN`, `__dead`)
            for m in knowledge.lookup(word, options.path):
                if m.kind == "macro" and m.params is None and (
                        any(w in m.text for w in NORETURN_WORDS) or
                        noreturn_declared(Definition(word, "macro", m.path, m.line, m.text, words=tuple(
                            m.text.replace("(", " ").replace(")", " ").split())), knowledge, options, depth + 1)):
                    return True
    return False


def _origin(d: Definition) -> tuple:
    return (f"`{d.shown}`", d.where)


def _review(d: Definition, kind: str, **fields) -> Spec:
    return Spec(Kind.SAFE, origin=_origin(d), review=(kind, {"name": d.name, "where": d.where, **fields}))


def _macro(name: str, macros: list, knowledge: Knowledge, options, stack: tuple) -> Spec:
    first = macros[0]
    variants = list({(m.text.strip(), m.params): m for m in macros}.values())
    if len(variants) > 1:
        # Defined differently under `#if`s: a function-like macro has every
        # definition expanded at the call; anything else cannot be chosen.
        if all(m.params is not None for m in variants) and len(variants) <= MAX_VARIANTS:
            leaves = all(_macro_leaves(m) for m in variants)
            return Spec(Kind.EXIT if leaves else Kind.SAFE, origin=_origin(first), macro=tuple(variants))
        return _review(first, "helper-ambiguous", others=", ".join(m.where for m in macros[1:]))
    body = first.text.strip()
    if first.params is None:
        # `#define xexit _exit`, then `xexit(1)`: the call is a call of the body.
        if body.isidentifier() and body != name and len(stack) < MAX_DEPTH:
            inner = options.lookup(body, stack + (name,))
            if inner is not None:
                return Spec(inner.kind, inner.out_args, inner.writes, origin=_origin(first),
                            review=inner.review, beyond=inner.beyond or ("helper-call", {
                                "name": name, "where": first.where}), macro=inner.macro, flushes=inner.flushes,
                            execs=inner.execs or inner is EXEC_WRAPPER, dies=inner.dies)
        return _review(first, "helper-macro-value", body=" ".join(body.split())[:60])
    return Spec(Kind.EXIT if _macro_leaves(first) else Kind.SAFE, origin=_origin(first), macro=first)


def _macro_leaves(d: Definition) -> bool:
    """Every path through the macro's body ends the process."""
    fn = expansion_function(d.text)
    if fn is None:
        return False
    body = fn.child_by_field_name("body")
    return _ends_process(body, lambda call: False)


EXPANSION_NAME = "vfork_codemod_expansion"


def expansion_function(body: str) -> Optional[Node]:
    """The function ``void vfork_codemod_expansion(void) { <body>; }``
    parsed, or None when that does not parse cleanly."""
    root = _kept_parse(f"void {EXPANSION_NAME}(void) {{\n{body.strip()};\n}}\n")
    if root.has_error:
        return None
    return next((n for n in root.children if n.type == "function_definition"), None)


_KEPT_CHARS = 1_000_000     # texts whose trees are kept (about 20 MB of trees)
_kept: dict = {}            # text -> root node, oldest first
_kept_size = 0


def _kept_parse(source: str) -> Node:
    """The root node of ``source``'s parse.  Helpers are summarised once
    for each depth their chains reach them at, and macros are expanded
    at every call, so the trees of recent texts are kept, within
    _KEPT_CHARS (the oldest go first)."""
    global _kept_size
    root = _kept.get(source)
    if root is None:
        root = parse(source.encode("utf-8", "surrogateescape")).root_node
        _kept[source] = root
        _kept_size += len(source)
        while _kept_size > _KEPT_CHARS:
            oldest = next(iter(_kept))
            _kept_size -= len(oldest)
            del _kept[oldest]
    return root


def _function(d: Definition, knowledge: Knowledge, options, stack: tuple) -> Spec:
    if d.name in stack:
        memo = knowledge.summaries
        memo[_CYCLES] = min(memo.get(_CYCLES, _NONE), stack.index(d.name))
        return Spec(Kind.SAFE, origin=_origin(d), beyond=("helper-call", {"name": d.name, "where": d.where}))
    if len(stack) >= MAX_DEPTH:
        return _review(d, "helper-too-deep", depth=MAX_DEPTH)
    fn = function_of(d)
    # Project macros before the name (`void FAST_FUNC f(...)`) leave an
    # ERROR in the head; only the body and the parameters must be clean.
    if fn is None or fn.child_by_field_name("body") is None or fn.child_by_field_name("body").has_error \
            or _declarator(fn) is None or _declarator(fn).has_error:
        return _review(d, "helper-unreadable")
    # Names inside the helper resolve from the helper's own file.
    checker = replace(options, path=d.path).helper_checker(fn, knowledge, stack + (d.name,), d.line)
    body = fn.child_by_field_name("body")
    for stmt in statements(body):
        checker.visit(stmt, loops=0, switches=0)
    never = _ends_process(body, checker.never_returns)
    dies = never and not checker.execs
    problems = checker.problems
    # A die() (it never returns and never execs) runs only in a child that
    # failed: what it does to the child's stdio, heap and errno on its way
    # out is listed among what a fork rewrite may change in such a run.
    kept = [p for p in problems if not _outbound(p[1], p[2])] if dies else problems
    if kept:
        node, kind, fields = kept[0]
        unsafe = replace(_review(d, "helper-unsafe", why=_why(d, node, kind, fields, knowledge),
                                 at=f"{d.path}:{d.line + node.start_point.row}",
                                 outbound=all(_outbound(k, f) for _, k, f in problems)), execs=checker.execs)
        # A child may not call it, but whether it returns still counts
        # where only the parent runs: `case -1: warn(...); xexit(1);` does
        # not fall through into `case 0:`.
        return replace(unsafe, kind=Kind.EXIT) if never else unsafe
    flushes = bool(checker.r.exit_calls) or bool(checker.flushing_calls) or bool(problems)
    kind = Kind.EXIT if never else (Kind.DIAG if checker.only_calls(Kind.DIAG) else Kind.SAFE)
    # A helper that only reports and ends the child may stand in a failure
    # tail that posix_spawn replaces; any other helper rules posix_spawn out.
    quiet = not problems and (kind is Kind.DIAG or (kind is Kind.EXIT and checker.only_calls(Kind.DIAG, Kind.EXIT)))
    beyond = None if quiet else ("helper-call", {"name": d.name, "where": d.where})
    return Spec(kind, tuple(sorted(checker.out_params)), origin=_origin(d), beyond=beyond, flushes=flushes,
                execs=checker.execs, dies=dies)


# What a die() may do on its way out: the child's stdio, heap, syslog and errno,
# and memory through its own local pointers (busybox's bb_verror_msg
# builds its message in a buffer it allocated).  A store to a named
# variable of the program stays a reason: the parent may read it to learn
# how the child failed (a hand-off).
_OUTBOUND = frozenset({"writes-stdio", "writes-heap", "stdio-stream", "writes-syslog"})


def _outbound(kind: str, fields: dict) -> bool:
    if kind in _OUTBOUND or fields.get("outbound"):
        return True
    if kind == "shared-write":
        return str(fields.get("target", "")).startswith("errno")
    if kind in ("pointer-write", "pointer-arg-write"):
        return bool(fields.get("local"))
    return False


class _EndsProcess:
    """The region adapter for "every path of a helper ends the process":
    a `return`, `break` or `continue` leaves the helper's body or a loop
    but not the process, so it ends no path here (a helper whose last
    statement is `return code;` returns; it does not exit), and a loop
    with a `return` inside may end."""

    def __init__(self, syntax):
        self.syntax = syntax

    def shape(self, stmt) -> tuple:
        if stmt.type in sites.LEAVING:
            return ("stays",)
        shape = self.syntax.shape(stmt)
        if shape[0] == "loop" and has_inner(stmt, ("return_statement",)):
            return ("stays",)
        return shape


_ENDING = _EndsProcess(sites.SYNTAX)


def _ends_process(body: Node, is_exit) -> bool:
    """Every path through the block ``body`` ends the process (``is_exit``
    tells a call that never returns).  A `goto` may jump past the exit a
    path seems to end in: a body with one may return."""
    return not has_inner(body, ("goto_statement",)) and region.leaves(_ENDING, statements(body), is_exit)


def _why(d: Definition, node: Node, kind: str, fields: dict, knowledge: Knowledge) -> str:
    """What the helper does that a child may not, worded for the caller's reason."""
    from codemod.core.reasons import reason
    at = f"{d.path}:{d.line + node.start_point.row}"
    name = fields.get("name")
    if kind in ("shared-write", "static-write") and name and name != "errno":
        declared = knowledge.declared_at(d.path, name)
        where = f", declared at {declared}" if declared else ", declared outside it"
        return f"writes `{name}` at {at}{where}"
    return f"at {at}: {reason(kind, 0, 'c', **fields).text}"


def _declarator(fn: Node) -> Optional[Node]:
    """The function_declarator naming ``fn``: its own parameters, not those
    of a function pointer it returns (`int (*get(int a))(int, int)`)."""
    node, found = fn.child_by_field_name("declarator"), None
    while node is not None:
        if node.type == "function_declarator":
            found = node
            inner = node.child_by_field_name("declarator")
            if inner is not None and inner.type == "identifier":
                return node
        node = node.child_by_field_name("declarator") or next(
            (c for c in node.named_children if c.type.endswith("declarator")), None)
    return found


def function_of(d: Definition) -> Optional[Node]:
    """The function_definition node of ``d``'s text (its parse kept, as
    helpers are read once for each depth and each question asked of them)."""
    return next((n for n in _kept_parse(d.text).children if n.type == "function_definition"), None)


def param_names(fn: Node) -> dict:
    """Parameter name -> (index, is a pointer) of a function definition."""
    out = {}
    decl = _declarator(fn)
    if decl is None:
        return out
    params = decl.child_by_field_name("parameters")
    index = 0
    for p in params.named_children:
        if p.type not in ("parameter_declaration", "identifier"):
            continue
        if p.type == "identifier":       # K&R: `f(a, b) int a; char *b; {`
            out[text(p)] = (index, True)
        else:
            for ident in declarators(p):
                pointer = has_inner(p, ("pointer_declarator", "array_declarator"))
                out[text(ident)] = (index, pointer)
        index += 1
    return out


def parameter_idents(fn: Node) -> dict:
    """Parameter name -> its identifier node in the head of the function
    definition ``fn``.  A K&R list names them bare: as identifiers, or,
    once its declarations are blanked (frontend.knr), as parameters whose
    only part is a type name (`showfile (arg, file)`)."""
    decl = _declarator(fn)
    params = decl.child_by_field_name("parameters") if decl is not None else None
    listed = [p for p in params.named_children if p.type in ("identifier", "parameter_declaration")] \
        if params is not None else []
    bare = all(p.type == "identifier" or (p.child_by_field_name("declarator") is None and p.named_child_count == 1
                                          and p.named_children[0].type == "type_identifier") for p in listed)
    out = {}
    for p in listed:
        if p.type == "identifier":
            out[text(p)] = p
        elif bare:
            out[text(p.named_children[0])] = p.named_children[0]
        else:
            out.update((text(ident), ident) for ident in declarators(p))
    return out


def pointer_base(target: Node) -> Optional[str]:
    """`*p`, `p->f`, `p[i]`, `(*p).f`: the pointer variable written through."""
    target = unparen(target)
    while target is not None:
        t = target.type
        if t == "pointer_expression" and target.child_by_field_name("operator").type == "*":
            inner = unparen(target.child_by_field_name("argument"))
            return text(inner) if inner.type == "identifier" else None
        if t == "field_expression":
            base = unparen(target.child_by_field_name("argument"))
            if target.child_by_field_name("operator").type == "->":
                return text(base) if base.type == "identifier" else None
            target = base
            continue
        if t == "subscript_expression":
            base = unparen(target.child_by_field_name("argument"))
            return text(base) if base.type == "identifier" else None
        return None
    return None


