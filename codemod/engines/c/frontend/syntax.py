"""tree-sitter plumbing for C: the parser, compiled queries and node helpers."""
from __future__ import annotations

import bisect
import functools
from typing import Iterator, Optional

import tree_sitter
import tree_sitter_c

from codemod.engines.c.frontend.grammars import query_source

LANGUAGE = tree_sitter.Language(tree_sitter_c.language())

Node = tree_sitter.Node


def _parser(source: bytes, ranges: Optional[list]) -> tree_sitter.Parser:
    parser = tree_sitter.Parser(LANGUAGE)
    if ranges is not None:
        from codemod.engines.c.frontend.partial import ts_ranges
        parser.included_ranges = ts_ranges(source, ranges)
    return parser


def parse(source: bytes, ranges: Optional[list] = None) -> tree_sitter.Tree:
    """The syntax tree of ``source``, or of just the byte ``ranges`` of it
    (offsets stay those of the whole text; see codemod.engines.c.frontend.partial)."""
    return _parser(source, ranges).parse(source)


def reparse(tree: tree_sitter.Tree, old: bytes, new: bytes, edits: list,
            ranges: Optional[list] = None) -> tree_sitter.Tree:
    """Parse ``new``, which is ``old`` with the non-overlapping byte-range
    ``edits`` (start, end, text) applied, reusing the unchanged parts of
    ``tree`` (tree-sitter's incremental parsing; ``tree`` is not changed).
    ``ranges`` are the parsed ranges of ``new`` for a partial tree."""
    edited = tree.copy()
    # From the end backwards: every offset still refers to unedited text.
    for e in sorted(edits, key=lambda e: (e.start, e.end), reverse=True):
        start = _point(old, e.start)
        old_end = _point(old, e.end)
        lines = e.text.count(b"\n")
        if lines:
            new_end = tree_sitter.Point(start.row + lines, len(e.text) - e.text.rfind(b"\n") - 1)
        else:
            new_end = tree_sitter.Point(start.row, start.column + len(e.text))
        edited.edit(e.start, e.end, e.start + len(e.text), start, old_end, new_end)
    return _parser(new, ranges).parse(new, edited)


def _point(source: bytes, offset: int) -> tree_sitter.Point:
    """Row and byte column of ``offset``, as tree-sitter counts them."""
    return tree_sitter.Point(source.count(b"\n", 0, offset), offset - source.rfind(b"\n", 0, offset) - 1)


@functools.lru_cache(maxsize=None)
def query(name: str) -> tree_sitter.Query:
    """The compiled query ``grammars/c/<name>.scm``."""
    return tree_sitter.Query(LANGUAGE, query_source("c", name))


def captures(name: str, node: Node, byte_range: Optional[tuple] = None,
             max_start_depth: Optional[int] = None) -> dict[str, list[Node]]:
    """Run ``grammars/c/<name>.scm`` over ``node``; ``byte_range`` and
    ``max_start_depth`` limit where matches may start (much faster on big
    files when the caller knows where to look)."""
    cursor = tree_sitter.QueryCursor(query(name))
    if byte_range is not None:
        cursor.set_byte_range(*byte_range)
    if max_start_depth is not None:
        cursor.set_max_start_depth(max_start_depth)
    return cursor.captures(node)


def captures_near(root: Node, word: bytes, name: str, whole_lines: bool = False) -> dict:
    """Captures of ``grammars/c/<name>.scm``, run only around the places
    ``word`` occurs in the text (or on the whole lines holding it): a file
    has thousands of nodes and a few vforks or #includes."""
    # root.text starts at the first token, not at byte 0 (leading blank
    # lines): positions in it are offset by root.start_byte.
    source = root.text
    base = root.start_byte
    found: dict = {}
    seen: set = set()
    pos = source.find(word)
    while pos >= 0:
        lo, hi = pos, pos + len(word)
        if whole_lines:             # with any backslash-continued lines
            lo = source.rfind(b"\n", 0, lo) + 1
            hi = source.find(b"\n", hi)
            while hi > 0 and (source[hi - 1:hi] == b"\\" or source[hi - 2:hi] == b"\\\r"):
                hi = source.find(b"\n", hi + 1)
            hi = len(source) if hi < 0 else hi
        for key, nodes in captures(name, root, byte_range=(base + lo, base + hi)).items():
            for n in nodes:
                if (key, n.start_byte, n.end_byte) not in seen:
                    seen.add((key, n.start_byte, n.end_byte))
                    found.setdefault(key, []).append(n)
        pos = source.find(word, hi)
    return found


def text(node: Node) -> str:
    """Node text, decoded losslessly: ``encode_text`` gives back the exact bytes
    (a Latin-1 string literal copied into generated code survives)."""
    return node.text.decode("utf-8", "surrogateescape")


def encode_text(s: str) -> bytes:
    return s.encode("utf-8", "surrogateescape")


def line(node: Node) -> int:
    return node.start_point.row + 1


def squash(node: Node) -> str:
    """Node text without white space, to compare expressions like `pid` and `( pid )`."""
    return "".join(text(node).split())


def ancestors(node: Node) -> Iterator[Node]:
    parent = node.parent
    while parent is not None:
        yield parent
        parent = parent.parent


def depth(root: Node, node: Node, limit: int) -> int:
    """How many levels below ``root`` ``node`` sits, counting at most to
    ``limit`` (then ``limit`` is returned).  A cursor walks down from the
    root: Node.parent walks from the root on every call, so climbing the
    ancestors of a deeply nested node one by one takes quadratic time."""
    cursor = root.walk()
    levels = 0
    while cursor.node != node and levels < limit:
        if cursor.goto_first_child_for_byte(node.start_byte) is None:
            break
        while cursor.node.end_byte <= node.start_byte and cursor.goto_next_sibling():
            pass
        levels += 1
    return levels


def in_error(node: Node) -> bool:
    """True when the node is inside (or is) a region tree-sitter could not parse."""
    if node.type == "ERROR" or node.is_missing:
        return True
    return any(a.type == "ERROR" for a in ancestors(node))



def errors_within(root: Node, start: int, end: int) -> bool:
    """An ERROR or MISSING node of ``root``'s tree overlapping bytes
    ``start``..``end``; only subtrees that hold an error are entered."""
    stack = [root]
    while stack:
        n = stack.pop()
        if n.end_byte <= start or n.start_byte >= end or not n.has_error:
            continue
        if n.type == "ERROR" or n.is_missing:
            return True
        stack.extend(n.children)
    return False


def enclosing(node: Node, *types: str) -> Optional[Node]:
    for a in ancestors(node):
        if a.type in types:
            return a
    return None


def function_name(fn: Node) -> Optional[str]:
    """The name a function_definition declares."""
    decl = fn.child_by_field_name("declarator")
    while decl is not None and decl.type != "identifier":
        if decl.type == "parenthesized_declarator":
            decl = decl.named_children[0] if decl.named_children else None
        else:
            decl = decl.child_by_field_name("declarator")
    return text(decl) if decl is not None else None


def walk(node: Node) -> Iterator[Node]:
    """Every node below ``node`` (inclusive), in source order."""
    stack = [node]
    while stack:
        n = stack.pop()
        yield n
        stack.extend(reversed(n.children))


def has_inner(node: Node, types) -> bool:
    """A node of one of ``types`` at or below ``node``.  ``types`` must be
    types that always have children (calls, assignments, statements):
    tokens are not looked at, which makes this several times faster than
    :func:`walk`."""
    stack = [node]
    while stack:
        n = stack.pop()
        if n.type in types:
            return True
        for c in n.children:
            if c.child_count:
                stack.append(c)
    return False


class NodeIndex:
    """The nodes of one function that the analyses ask about (see
    ``grammars/c/function-index.scm``): declarations and control statements
    by type, identifiers by name, each list in document order.  Collected by
    one query on the C side; identifier names are decoded on first use."""

    def __init__(self, root: Node):
        self.root = root
        self.by_type: dict = {}
        for name, nodes in captures("function-index", root).items():
            nodes.sort(key=_start)
            self.by_type[name[len("index."):]] = nodes
        self._idents: Optional[dict] = None

    @property
    def idents(self) -> dict:
        if self._idents is None:
            self._idents = {}
            for n in self.by_type.get("identifier", []):
                self._idents.setdefault(text(n), []).append(n)
        return self._idents

    def within(self, kind: str, lo: int, hi: int) -> list:
        """The nodes of type ``kind`` starting in bytes [lo, hi), in order."""
        nodes = self.of(kind)
        return nodes[bisect.bisect_left(nodes, lo, key=_start):bisect.bisect_left(nodes, hi, key=_start)]

    def of(self, *types: str) -> list:
        unknown = set(types) - _indexed_types()
        if unknown:
            raise ValueError(f"function-index.scm does not collect {sorted(unknown)}")
        if len(types) == 1:
            return self.by_type.get(types[0], [])
        return sorted((n for t in types for n in self.by_type.get(t, [])), key=_start)


@functools.lru_cache(maxsize=None)
def _indexed_types() -> frozenset:
    q = query("function-index")
    return frozenset(q.capture_name(i)[len("index."):] for i in range(q.capture_count))


def _start(node: Node) -> int:
    return node.start_byte


_INDEX: dict = {}


def index(fn: Node) -> NodeIndex:
    """The NodeIndex of ``fn``, built once per function of the current tree."""
    key = (fn.id, fn.start_byte, fn.end_byte)
    found = _INDEX.get(key)
    if found is None or found.root != fn:
        if len(_INDEX) > 64:
            _INDEX.clear()
        found = _INDEX[key] = NodeIndex(fn)
    return found



def call_name(call: Node) -> Optional[str]:
    fn = call.child_by_field_name("function")
    if fn is not None and fn.type == "identifier":
        return text(fn)
    return None


def arguments(call: Node) -> list[Node]:
    args = call.child_by_field_name("arguments")
    if args is None:
        return []
    return [c for c in args.named_children if c.type != "comment"]


def statements(block: Node) -> list[Node]:
    """Named children of a block that are statements (comments dropped)."""
    return [c for c in block.named_children if c.type != "comment"]


def short(node: Node, limit: int = 60) -> str:
    """A node's text on one line, cut to ``limit`` characters, for messages."""
    s = " ".join(text(node).split())
    return s if len(s) <= limit else s[: limit - 3] + "..."


def unparen(node: Optional[Node]) -> Optional[Node]:
    """The expression inside any number of parentheses."""
    while node is not None and node.type == "parenthesized_expression" and node.named_child_count == 1:
        node = node.named_children[0]
    return node


def null_pointer(node: Optional[Node]) -> bool:
    """``NULL`` or ``0`` in any parentheses and casts to a pointer type:
    ``(struct sigaction *) NULL``, ``((void *)0)``.  A cast to a type
    that does not spell a pointer (a typedef, ``(long)0``) is not read."""
    node = unparen(node)
    while node is not None and node.type == "cast_expression":
        descriptor = node.child_by_field_name("type")
        pointer = descriptor.child_by_field_name("declarator") if descriptor is not None else None
        if pointer is None or pointer.type != "abstract_pointer_declarator":
            return False
        node = unparen(node.child_by_field_name("value"))
    return node is not None and (node.type == "null" or text(node) in ("NULL", "0"))


def declarators(decl: Node) -> list:
    """The identifier nodes a declaration (or parameter) declares."""
    out = []
    for d in decl.children_by_field_name("declarator"):
        while d is not None and d.type != "identifier":
            inner = d.child_by_field_name("declarator")
            if inner is None and d.type == "parenthesized_declarator":
                # `char *(*fp)(int)`: the parentheses hold the pointer to the name.
                inner = next((c for c in d.named_children if c.type == "identifier" or c.type.endswith("declarator")),
                             None)
            d = inner
        if d is not None:
            out.append(d)
    return out


PREPROC_BRANCHES = {"preproc_if", "preproc_ifdef", "preproc_else", "preproc_elif", "preproc_elifdef"}
