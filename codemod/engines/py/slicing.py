"""Read only what can matter in a large module.

libcst's parse and its scope, parent and position metadata cost about
50 ms per KB; a module of generated ctypes bindings (thousands of
`name = _libc.name` lines, one of them `vfork`, never called) spends
seconds there to report one note.  Python's own parser reads the same
module in a fiftieth of the time.  It picks the top-level statements that
can change a finding; libcst reads only their lines (whole, so columns
stay), and the findings' line numbers are mapped back.

A statement is read when it
* imports (qualified names come from imports);
* mentions a `.vfork` attribute;
* assigns a value that may construct a library handle (`ctypes.CDLL(...)`,
  `cdll.name`, `cdll[...]`, through any import or binding of the root name);
* mentions a name that such statements bind or use (the handles, the names
  `vfork` is bound to, their bases), other than as the object of another
  attribute (`_libc.open`, `vfork.restype`): every binding, call and
  passing-on of those names is kept; a builtin the module never binds
  (`except AttributeError: pass` after each binding) holds no handle and
  pulls in nothing;
* or shares a line with a kept statement.
A function or class is read or left out whole.

This gives the findings of the whole module only where it has no site (a
call): notes about references.  A module whose slice holds a call is
analysed whole, as are small modules and modules Python's parser rejects.
"""
from __future__ import annotations

import ast
import bisect
import builtins
import itertools
import re
from typing import NamedTuple, Optional

from codemod.engines.py.sites import CONSTRUCTORS, LOADERS

SLICE_FROM = 16_000        # bytes: below this the whole module is read (it is cheap)
_HANDLE_WORDS = (b"CDLL", b"PyDLL", b"cdll", b"pydll", b"LoadLibrary")
_LOADER_ROOTS = ("CDLL", "PyDLL", "cdll", "pydll")
BOM = b"\xef\xbb\xbf"


class Slice(NamedTuple):
    """The kept lines of a module, and the line each came from."""

    source: bytes
    lines: list            # lines[i]: the original number of line i + 1


def relevant_source(source: bytes) -> Optional[Slice]:
    """The lines of ``source`` that can change a finding (its first two
    lines, for a coding declaration, and the kept statements'), or None when
    slicing does not pay or does not apply."""
    if len(source) < SLICE_FROM:
        return None
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError, MemoryError, RecursionError):
        return None                   # libcst reads it, and names the problem
    lines = source.splitlines(keepends=True)
    spans = [(_first_line(s), s.end_lineno) for s in tree.body]
    where = _Where(lines, spans)
    imports = _imports([tree.body[i] for i in where.matching(re.compile(rb"import"), source)])
    words = _HANDLE_WORDS + tuple(name.encode() for name, targets in imports.items()
                                  if any(t.split(".")[:2] in (["ctypes", w] for w in _LOADER_ROOTS)
                                         for t in targets))
    keep = [isinstance(s, (ast.Import, ast.ImportFrom)) for s in tree.body]
    names: set = set()
    for i in sorted(where.matching(re.compile(b"|".join(re.escape(w) for w in (b"vfork",) + words)), source)):
        statement = tree.body[i]
        if not keep[i] and any((isinstance(n, ast.Attribute) and n.attr == "vfork")
                               or (isinstance(n, ast.Assign) and _constructs(n.value, imports))
                               for n in ast.walk(statement)):
            keep[i] = True
            names |= _used_names(statement)
    names -= _unbound_builtins(names, tree)
    if names:
        use = re.compile(rb"(?<![\w.])(?:" + b"|".join(re.escape(n.encode()) for n in sorted(names)) +
                         rb")(?!\w)(?!\s*\.\s*(?!vfork(?!\w))[A-Za-z_])")
        for i in where.matching(use, source):
            if not keep[i] and names & _used_names(tree.body[i]):
                keep[i] = True
    _share_lines(spans, keep)
    if all(keep):
        return None
    # A coding declaration is a comment on line 1 or 2: such lines belong to no statement.
    inside = {n for first, last in spans[:2] for n in range(first, last + 1)}
    wanted = sorted({n for (first, last), kept in zip(spans, keep) if kept for n in range(first, last + 1)}
                    | ({1, 2} & set(range(1, len(lines) + 1))) - inside)
    out = b"".join(lines[n - 1] for n in wanted)
    if source.startswith(BOM) and not out.startswith(BOM):
        out = BOM + out               # it says how the module is encoded
    return Slice(out, wanted)


class _Where:
    """Which top-level statement holds a byte offset."""

    def __init__(self, lines: list, spans: list):
        self.starts = list(itertools.accumulate((len(line) for line in lines), initial=0))
        self.spans = spans
        self.firsts = [first for first, _ in spans]

    def matching(self, pattern: "re.Pattern", source: bytes) -> set:
        """Indexes of the statements in whose lines ``pattern`` matches."""
        out = set()
        for m in pattern.finditer(source):
            line = bisect.bisect_right(self.starts, m.start())        # 1-based
            i = bisect.bisect_right(self.firsts, line) - 1
            if i >= 0 and line <= self.spans[i][1]:
                out.add(i)
        return out


def _imports(statements: list) -> dict:
    """Name -> the dotted names an import anywhere in ``statements`` binds it to."""
    out: dict = {}
    for node in (n for statement in statements for n in ast.walk(statement)):
        if isinstance(node, ast.Import):
            for a in node.names:
                if a.asname:
                    out.setdefault(a.asname, set()).add(a.name)
                else:
                    root = a.name.split(".")[0]
                    out.setdefault(root, set()).add(root)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            for a in node.names:
                out.setdefault(a.asname or a.name, set()).add(f"{node.module}.{a.name}")
    return out


def _dotted(expr) -> Optional[tuple]:
    """(root name, ".attr.attr") of a Name/Attribute chain, else None."""
    tail = []
    while isinstance(expr, ast.Attribute):
        tail.append(expr.attr)
        expr = expr.value
    if not isinstance(expr, ast.Name):
        return None
    return expr.id, "".join("." + t for t in reversed(tail))


def _qualified(expr, imports: dict) -> set:
    """Every qualified name libcst could give ``expr`` (any import of its
    root, or the root itself when another binding makes it)."""
    chain = _dotted(expr)
    if chain is None:
        return set()
    root, tail = chain
    return {q + tail for q in imports.get(root, ())} | {root + tail}


def _constructs(value, imports: dict) -> bool:
    """``value`` may create a handle (as sites._Handles.constructs decides)."""
    if isinstance(value, ast.Call):
        return bool(_qualified(value.func, imports) & CONSTRUCTORS)
    if isinstance(value, ast.Attribute):
        return value.attr != "LoadLibrary" and any(q.rsplit(".", 1)[0] in LOADERS
                                                   for q in _qualified(value, imports))
    if isinstance(value, ast.Subscript):
        return bool(_qualified(value.value, imports) & LOADERS)
    return False


def _used_names(statement) -> set:
    """The names ``statement`` binds, calls or passes on: every Name but
    those used only as the object of an attribute other than `vfork`, and the
    names of defs, classes, imports, except and match bindings, globals."""
    bases, names, out = set(), [], set()
    for node in ast.walk(statement):
        if isinstance(node, ast.Name):
            names.append(node)
        elif isinstance(node, ast.Attribute) and node.attr != "vfork" and isinstance(node.value, ast.Name):
            bases.add(id(node.value))
        for field in ("name", "asname", "rest"):
            value = getattr(node, field, None)
            if isinstance(value, str):
                out.add(value)
        if isinstance(node, (ast.Global, ast.Nonlocal)):
            out.update(node.names)
    return out | {n.id for n in names if id(n) not in bases}


def _unbound_builtins(names: set, tree) -> set:
    """The builtins among ``names`` (`AttributeError` of `except
    AttributeError: pass` after every binding) that the module never
    binds: they hold no handle, so the statements using them need not be
    read (they would be all of a generated bindings module)."""
    candidates = names & _BUILTINS
    if not candidates:
        return set()
    bound: set = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            if not isinstance(node.ctx, ast.Load):
                bound.add(node.id)
        elif isinstance(node, (ast.Global, ast.Nonlocal)):
            bound.update(node.names)
        else:
            for field in ("name", "asname", "rest"):
                value = getattr(node, field, None)
                if isinstance(value, str):
                    bound.add(value)
    return candidates - bound


_BUILTINS = frozenset(dir(builtins))


def _first_line(statement) -> int:
    decorators = getattr(statement, "decorator_list", ())
    return min([statement.lineno] + [d.lineno for d in decorators])


def _share_lines(spans: list, keep: list) -> None:
    """Keep every statement on a line a kept statement occupies (`a; b`)."""
    changed = True
    while changed:
        changed = False
        kept_lines = set()
        for (first, last), kept in zip(spans, keep):
            if kept:
                kept_lines.add(first)
                kept_lines.add(last)
        for i, (first, last) in enumerate(spans):
            if not keep[i] and (first in kept_lines or last in kept_lines):
                keep[i] = changed = True


