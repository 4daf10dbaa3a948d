"""What the project's own files say about a name: the project index.

The analysis of one file asks about names it does not know (a helper called
in a child, a macro, a function a failure branch ends in).  The index reads
the definitions of those names from the other files of the walked tree:

* macros, object-like and function-like, with their bodies;
* function definitions, with their text, for :mod:`codemod.engines.c.proof.summaries`;
* declarations, with the words around the declarator (``__attribute__
  ((noreturn))``, ``_Noreturn``, ``[[noreturn]]``, a project ``NORETURN``);
* wrappers of vfork: macros whose body calls vfork or another wrapper,
  functions that return vfork's result, and redirects (``#define fork vfork``).

:func:`facts` reads one file; :class:`Knowledge` is what a run learned, a
plain value handed to every analysis (worker processes included).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Optional

from codemod.engines.c.frontend.syntax import Node, captures, function_name, line, parse, text

NORETURN_WORDS = frozenset({"noreturn", "__noreturn__", "_Noreturn"})
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_CONTAINERS = {"translation_unit", "preproc_if", "preproc_ifdef", "preproc_else", "preproc_elif",
               "preproc_elifdef", "linkage_specification", "declaration_list"}


@dataclass(frozen=True)
class Definition:
    """One definition or declaration of ``name`` in the tree."""

    name: str
    kind: str                       # "function", "macro" or "declaration"
    path: str                       # as shown to the user
    line: int
    text: str                       # function: the whole definition; macro: its body; declaration: its text
    params: Optional[tuple] = None  # a function-like macro's parameter names (None: object-like, or not a macro)
    words: tuple = ()               # identifiers around the declarator: attributes and project macros
    condition: str = ""             # the `#if` lines it sits under, outermost first ("" when none)
    static: bool = False            # a static function or declaration: seen only in its own file

    @property
    def where(self) -> str:
        return f"{self.path}:{self.line}"

    @property
    def shown(self) -> str:
        return f"{self.name}()" if self.kind != "macro" or self.params is not None else self.name

    def calls_vfork(self, wrappers=()) -> bool:
        names = {"vfork", *wrappers}
        return any(w in names for w in _WORD.findall(blank_literals(self.text)))


@dataclass(frozen=True)
class FileFacts:
    """Everything :func:`facts` found in one file, by name."""

    path: str
    definitions: dict                    # name -> [Definition]
    globals: dict                        # file-scope variable name -> line
    includes: tuple = ()                 # the `#include "..."` names, as written
    unread: str = ""                     # why the index could not read the file (then it defines nothing)


def facts(source: bytes, path: str, ranges: Optional[list] = None) -> FileFacts:
    """The definitions, declarations and file-scope variables of one file
    (of just the byte ``ranges`` of it, for a file too big to parse whole).
    K&R definitions with implicit int count (read as the engine reads them)."""
    tree = parse(source, ranges)
    blanked: list = []
    read = source                   # the text the tree was parsed from, byte for byte at the same offsets
    if ranges is None and tree.root_node.has_error:
        from codemod.engines.c.frontend import attrmacros, knr
        old_c = knr.normalise(source, tree.root_node)
        if old_c is not None:
            read = old_c.text
            tree = parse(read)
        if tree.root_node.has_error:
            # `static void ATTRIBUTE_FORMAT((...))\nname(...)`, `void
            # ATTRIBUTE_NORETURN\ndie(void)`: blanked, offsets kept.
            blanked = attrmacros.spans(read)
            if blanked:
                tree = parse(attrmacros.blank(read, blanked))
    defs: dict = {}
    globals_: dict = {}
    includes: list = []

    def add(d: Definition) -> None:
        defs.setdefault(d.name, []).append(d)

    def visit(node: Node, conditions: tuple) -> None:
        for child in node.children:
            one(child, conditions)

    def one(child: Node, conditions: tuple) -> None:
        t = child.type
        if t == "preproc_ifdef" and _include_guard(child):
            visit(child, conditions)
        elif t in ("preproc_if", "preproc_ifdef", "preproc_elif", "preproc_elifdef"):
            visit(child, conditions + (_head(child),))
        elif t == "preproc_else":
            visit(child, conditions[:-1] + (f"not ({conditions[-1]})" if conditions else "#else",))
        elif t in _CONTAINERS:
            visit(child, conditions)
        elif t == "preproc_include":
            target = child.child_by_field_name("path")
            if target is not None and target.type == "string_literal":
                includes.append(text(target).strip('"'))
        elif t == "function_definition":
            name = function_name(child)
            if name:
                add(Definition(name, "function", path, line(child), text(child),
                               words=_words_around(child) + _blanked_words(read, blanked, child),
                               condition=" && ".join(conditions),
                               static=_static(child)))
        if t == "ERROR":
            # Functions tree-sitter found inside a region it could not
            # parse; what `#if` they sit under is not known.
            unknown = conditions + ("(inside code tree-sitter could not parse)",)
            for n in _outermost_functions(child):
                one(n, unknown)
        if t in ("declaration", "ERROR"):
            for decl in _function_declarators(child):
                name = decl.child_by_field_name("declarator")
                if name is not None and name.type == "identifier":
                    # In an ERROR region (project macros tree-sitter cannot
                    # read), only the words of the declarator's own statement count.
                    words = _words_around(child) if t == "declaration" else _statement_words(source, decl)
                    add(Definition(text(name), "declaration", path, line(decl), text(child)[:200],
                                   words=words, condition=" && ".join(conditions),
                                   static="static" in words or _static(child)))
            if t == "declaration":
                for d in child.children_by_field_name("declarator"):
                    while d is not None and d.type not in ("identifier", "function_declarator"):
                        d = d.child_by_field_name("declarator")
                    if d is not None and d.type == "function_declarator":
                        d = _pointer_variable(d)
                    if d is not None and d.type == "identifier":
                        globals_.setdefault(text(d), line(child))

    visit(tree.root_node, ())
    for node in sorted((n for nodes in captures("project-macros", tree.root_node).values() for n in nodes),
                       key=lambda n: n.start_byte):
        add(macro_definition(node, path, line(node), _conditions(node)))
    return FileFacts(path, defs, globals_, tuple(includes))


def macro_definition(node: Node, path: str, at: int, condition: str = "") -> Definition:
    """The Definition a `#define` node (preproc_def or preproc_function_def)
    makes, at line ``at`` of ``path``: its body with line splices joined,
    and a function-like macro's parameter names."""
    value = node.child_by_field_name("value")
    params = None
    if node.type == "preproc_function_def":
        plist = node.child_by_field_name("parameters")
        # `...` is an anonymous node: named_children would lose it.
        params = tuple(text(p) for p in plist.children if p.type in ("identifier", "..."))
    body = text(value).replace("\\\r\n", "\n").replace("\\\n", "\n") if value is not None else ""
    return Definition(text(node.child_by_field_name("name")), "macro", path, at, body, params, condition=condition)


def _pointer_variable(fd: Node) -> Optional[Node]:
    """The name a function-pointer variable's declarator declares (busybox's
    `void (*die_func)(void);`), or None for a function's own declarator."""
    inner = fd.child_by_field_name("declarator")
    if inner is None or inner.type != "parenthesized_declarator":
        return None
    d = next((c for c in inner.named_children if c.type == "pointer_declarator"), None)
    while d is not None and d.type != "identifier":
        d = d.child_by_field_name("declarator")
    return d


def _conditions(node: Node) -> str:
    """The `#if` lines around ``node``, outermost first, include guards left out."""
    out = []
    child = node
    for a in _between(node, None):
        if a.type == "ERROR":
            out.append("(inside code tree-sitter could not parse)")
        elif a.type in ("preproc_if", "preproc_ifdef", "preproc_elif", "preproc_elifdef") and \
                not (a.type == "preproc_ifdef" and _include_guard(a)):
            alternative = a.child_by_field_name("alternative")
            out.append(f"not ({_head(a)})" if alternative is not None and _inside(child, alternative)
                       else _head(a))
        child = a
    return " && ".join(reversed(out))


def _inside(node: Node, top: Node) -> bool:
    return top.start_byte <= node.start_byte and node.end_byte <= top.end_byte


def _static(node: Node) -> bool:
    return any(c.type == "storage_class_specifier" and text(c) == "static" for c in node.children)


def _include_guard(node: Node) -> bool:
    """`#ifndef X_H` whose first line inside is `#define X_H`: holds wherever the header is read."""
    # Checked for every definition under it: only its first lines are read.
    name = node.child_by_field_name("name")
    if name is None or node.child(0).type != "#ifndef":
        return False
    first = name.next_named_sibling
    while first is not None and first.type == "comment":
        first = first.next_named_sibling
    return first is not None and first.type == "preproc_def" and \
        text(first.child_by_field_name("name")) == text(name) and first.child_by_field_name("value") is None


def _head(node: Node) -> str:
    """The first line of an `#if` (decoding only that line, not the block)."""
    raw = node.text
    end = raw.find(b"\n")
    return (raw if end < 0 else raw[:end]).decode("utf-8", "surrogateescape").strip()


def _statement_words(source: bytes, decl: Node) -> tuple:
    """The identifiers of the statement holding ``decl`` (from the previous
    `;`, `{` or `}` to the next `;`), its parameter list left out."""
    start = max(source.rfind(c, 0, decl.start_byte) for c in (b";", b"{", b"}")) + 1
    end = source.find(b";", decl.end_byte)
    end = len(source) if end < 0 else end
    params = decl.child_by_field_name("parameters")
    cut = source[start:params.start_byte] + source[params.end_byte:end] if params is not None \
        else source[start:end]
    cut = re.sub(rb"#[^\n]*", b" ", cut)
    return tuple(dict.fromkeys(m.decode() for m in re.findall(rb"[A-Za-z_][A-Za-z0-9_]*", cut)))


def _function_declarators(node: Node) -> list:
    """The function declarators at or below ``node``, in source order, not
    those inside a parameter list (a parameter's own)."""
    out, stack = [], [node]
    while stack:
        n = stack.pop()
        if n.type == "function_declarator":
            out.append(n)
        stack.extend(c for c in reversed(n.children) if c.child_count and c.type != "parameter_list")
    return out


def _outermost_functions(node: Node) -> list:
    """The function definitions below ``node`` not inside another one, in source order."""
    out, stack = [], [c for c in reversed(node.children) if c.child_count]
    while stack:
        n = stack.pop()
        if n.type == "function_definition":
            out.append(n)
            continue
        stack.extend(c for c in reversed(n.children) if c.child_count)
    return out


def _between(n: Node, top: Node):
    p = n.parent
    while p is not None and p != top:
        yield p
        p = p.parent


def _blanked_words(source: bytes, blanked: list, fn: Node) -> tuple:
    """The attribute macros blanked for the parse in the head of the
    function ``fn`` (frontend.attrmacros), by name."""
    body = fn.child_by_field_name("body")
    end = body.start_byte if body is not None else fn.end_byte
    out = []
    for start, stop in blanked:
        if fn.start_byte <= start < end:
            word = re.match(rb"[A-Za-z_][A-Za-z0-9_]*", source[start:stop])
            if word is not None:
                out.append(word.group(0).decode("ascii"))
    return tuple(out)


def _words_around(node: Node) -> tuple:
    """The identifiers of a declaration outside its parameter lists and
    body: where `__attribute__((noreturn))` or a project `NORETURN` sits."""
    out = []
    stack = [node]
    while stack:
        n = stack.pop()
        if n.type in ("parameter_list", "compound_statement", "string_literal", "comment"):
            continue
        if n.child_count == 0 and n.type in ("identifier", "type_identifier", "_Noreturn", "noreturn"):
            out.append(text(n))
        elif n.type in ("_Noreturn", "noreturn"):
            out.append(n.type)
        elif n.type == "type_qualifier" and text(n) == "_Noreturn":
            out.append("_Noreturn")
        stack.extend(reversed(n.children))
    return tuple(dict.fromkeys(out))


def blank_literals(body: str) -> str:
    """A macro body or function text with comments and literals blanked (same length)."""
    return re.sub(r'/\*.*?\*/|//[^\n]*|"(?:\\.|[^"\\\n])*"|\'(?:\\.|[^\'\\\n])*\'',
                  lambda m: re.sub(r"[^\n]", " ", m.group()), body, flags=re.S)


def visible_elsewhere(d: Definition) -> bool:
    """Another file can call what ``d`` defines: not static, and not a macro
    of a .c file (macros of headers reach the files including them)."""
    if d.static:
        return False
    return not (d.kind == "macro" and not d.path.endswith(".h"))


# --------------------------------------------------------------------------
# What a run learned.

@dataclass(frozen=True)
class Wrapper:
    """A name whose call is a call of vfork: a macro expanding to it, or a
    function returning its result."""

    name: str
    definition: Definition
    via: str = "vfork"           # the name its body calls: vfork or another wrapper

    @property
    def function(self) -> bool:
        return self.definition.kind == "function"


@dataclass(frozen=True)
class Redirect:
    """`#define fork vfork` (or `# define fork() vfork()`): calls spelled
    `fork()` are vfork calls where this line is in effect."""

    definition: Definition
    files: tuple = ()           # display paths of the files it reaches (itself and its includers)


@dataclass(frozen=True)
class SiteNote:
    """How a call through a wrapper or a redirect was judged in its own file."""

    path: str
    line: int
    fork_safe: bool
    why: str = ""


@dataclass
class Knowledge:
    """The project index of one run: definitions by name, wrappers and
    redirects of vfork, and (filled in by a second pass) how the calls
    through each wrapper and redirect were judged."""

    definitions: dict = field(default_factory=dict)   # name -> [Definition]
    globals: dict = field(default_factory=dict)       # display path -> {variable: line}
    wrappers: dict = field(default_factory=dict)      # name -> Wrapper
    redirects: list = field(default_factory=list)     # [Redirect]
    sites: dict = field(default_factory=dict)         # wrapper name or redirect where -> [SiteNote]
    visible: dict = field(default_factory=dict)       # display path -> headers it includes (index.visible)
    closed: set = field(default_factory=set)          # display paths whose every include was found in the tree
    beyond: dict = field(default_factory=dict)        # name -> which budget kept the index from looking it up
    searched: set = field(default_factory=set, compare=False)   # names the index looked up (for the cache)
    read: set = field(default_factory=set, compare=False)       # paths on disk of the files it read
    summaries: dict = field(default_factory=dict, compare=False, repr=False)   # filled lazily (summaries.py)
    # path on disk -> FileFacts of each file the index parsed whole: the
    # cache compares a changed file's new facts with these.  Not sent to
    # workers, nor pickled with the knowledge.
    facts: dict = field(default_factory=dict, compare=False, repr=False)

    def __bool__(self) -> bool:
        return bool(self.definitions or self.wrappers or self.redirects)

    def __getstate__(self):
        state = dict(self.__dict__)
        state["summaries"] = {}
        state["facts"] = {}
        return state

    def lookup(self, name: str, path: str) -> list:
        """The definitions of ``name`` that ``path`` can call (static ones
        only in itself or in a header it includes); those in ``path`` itself
        when it has any (a static helper beside its caller is the one
        called), and every declaration (which may say noreturn)."""
        headers = self.visible.get(path)
        # A static definition in a header (`static inline`) is the includer's own.
        defs = [d for d in self.definitions.get(name, []) if d.path == path or visible_elsewhere(d)
                or (d.static and d.path.endswith(".h") and headers is not None and d.path in headers)]
        if headers is not None and path in self.closed:
            # Every include of the file was found: a header outside them
            # (another program's, in a tree of many) is not seen by it.
            defs = [d for d in defs if not d.path.endswith(".h") or d.path in headers or d.path == path]
        if headers is not None and any(d.path.endswith(".h") for d in defs):
            # A header definition counts from the headers the file includes,
            # when one of them has it; otherwise all are kept (and differing
            # ones are ambiguous): the include may be generated or indirect.
            seen = [d for d in defs if not d.path.endswith(".h") or d.path in headers]
            if any(d.path.endswith(".h") for d in seen):
                defs = seen
        own = [d for d in defs if d.path == path and d.kind != "declaration"]
        return own + [d for d in defs if d.kind == "declaration"] if own else defs

    def redirects_for(self, path: str) -> list:
        return [r for r in self.redirects if path in r.files]

    def declared_at(self, path: str, variable: str) -> Optional[str]:
        found = self.globals.get(path, {}).get(variable)
        return f"{path}:{found}" if found is not None else None
