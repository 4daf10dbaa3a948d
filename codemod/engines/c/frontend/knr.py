"""Old C that tree-sitter reads only with help: K&R definitions with an
implicit `int` return type.

    main(argc, argv)          tree-sitter reads this as a call statement,
        int argc;             two declarations and a block at file scope,
        char **argv;          so a vfork inside was "outside a function".
    {

    static                    and this (the storage class on its own line)
    runit(prog, argv)         as one declaration, with an ERROR inside,
    char *prog, **argv;       followed by a block.
    {

:func:`normalise` rewrites such a header, for the parse only, as
`int main(argc, argv)` (`static int runit(prog, argv)`) followed by
blanks where the parameter declarations were (their newlines kept): the
same length, so every offset after it, the body's included, is
unchanged.  The parameters lose their types in the parse; nothing the
analysis proves depends on them.

A header with no blanks to spare (`}\n\npreserve()\n{`) takes them from the
indentation of its body's first lines instead (never from the line
holding `vfork`), or, with only two to spare, reads as `_ preserve()` (a
type name of one letter).  The header and those lines then sit a few bytes
off in the parse: :attr:`Normalised.moved` lists such ranges, and no
rewrite may place an edit inside one (Reading.placed, codemod.engines.c.reading).

A header is recognised by its text, whatever tree-sitter made of it: up to :data:`MAX_NODES` file-scope
declarations, statements or ERROR nodes before a file-scope block must
read, comments aside, as storage classes or a type, `name(a, b, ...)`,
then parameter declarations each ending in `;`.
"""
from __future__ import annotations

import re
from typing import NamedTuple, Optional

from codemod.engines.c.frontend.syntax import Node

MAX_NODES = 16          # file-scope nodes a header may have been split into

_STORAGE = {"static", "extern", "register", "auto"}
_IDENT = rb"[A-Za-z_]\w*"
_HEADER = re.compile(
    rb"(?P<spec>(?:" + _IDENT + rb"[\s*]+)*?)"         # storage classes, a return type, `*`s
    rb"(?P<name>" + _IDENT + rb")\s*"
    rb"\(\s*(?:" + _IDENT + rb"\s*(?:,\s*" + _IDENT + rb"\s*)*)?\)"
    rb"(?P<decls>(?:\s*[A-Za-z_][^;{}]*;)*\s*)", re.S)
_COMMENT = re.compile(rb"/\*.*?\*/|//[^\n]*", re.S)
_SPECIFIERS = re.compile(rb"[\s*]*(?:" + _IDENT + rb"[\s*]+)*")
_KEYWORDS = {b"if", b"while", b"for", b"switch", b"return", b"sizeof", b"do", b"else", b"case", b"goto"}
_WALKED = {"declaration", "expression_statement", "ERROR", "comment"}


def _blank(text: bytes) -> bytes:
    """``text`` with its comments as blanks (newlines kept), the same length."""
    return _COMMENT.sub(lambda m: bytes(b if b in (0x0A, 0x0D) else 0x20 for b in m.group()), text)


def _rewrite(text: bytes, implicit_type: bytes = b"int ") -> Optional[bytes]:
    """The header ``text`` (up to its `{`) as a parseable definition head,
    at most ``len(implicit_type)`` bytes longer (the type with no blanks
    left to take it from), or None when it is not a K&R header."""
    bare = _blank(text)
    m = _HEADER.fullmatch(bare)
    if m is None or m.group("name") in _KEYWORDS:
        return None
    spec = m.group("spec").replace(b"*", b" ").split()
    if any(w in _KEYWORDS for w in spec):
        return None
    implicit = all(w.decode() in _STORAGE for w in spec)
    if not implicit and not m.group("decls").strip():
        return None                         # an ordinary prototype-less head tree-sitter reads itself
    head = text[:m.end("name")]
    params = text[m.end("name"):m.start("decls")]
    rest = [b if b in (0x0A, 0x0D) else 0x20 for b in text[m.start("decls"):]]
    if implicit:
        # Blanks of the declarations make room for `int `, as many as there are.
        for _ in range(min(len(implicit_type), rest.count(0x20))):
            rest.remove(0x20)
        at = m.start("name")
        head = head[:at] + implicit_type + head[at:]
    return head + params + bytes(rest)


MAX_GROUP_DEPTH = 32    # `#if` groups around file-scope code looked into


def _scopes(root: Node) -> list:
    """The file scope's lists of nodes: the root's children and those of
    every `#if` group at file scope (`#ifdef TERMINFO` around a whole file)."""
    out, stack = [], [(root, 0)]
    while stack:
        node, depth = stack.pop()
        children = list(node.children)
        out.append(children)
        if depth < MAX_GROUP_DEPTH:
            stack += [(c, depth + 1) for c in children if c.type in _GROUPS]
    return out


_GROUPS = {"preproc_if", "preproc_ifdef", "preproc_else", "preproc_elif", "preproc_elifdef"}


class Normalised(NamedTuple):
    """A text whose K&R headers tree-sitter can read: as long as the
    source, with the same line breaks at the same places."""

    text: bytes
    moved: tuple        # (start, end) byte ranges whose text sits up to 4 bytes off in ``text``


def normalise(source: bytes, root: Node) -> Optional[Normalised]:
    """``source`` with every implicit-int K&R header made parseable, or None when there is none."""
    out = bytearray(source)
    moved: list = []
    for children in _scopes(root):
        _normalise(source, children, out, moved)
    if bytes(out) == source:
        return None
    return Normalised(bytes(out), tuple(sorted(moved)))


def _normalise(source: bytes, children: list, out: bytearray, moved: list) -> None:
    for i, node in enumerate(children):
        if node.type != "compound_statement":
            continue
        end = node.start_byte
        # The nearest start that reads as a header, then earlier nodes
        # only while they add specifiers (`static` on a line of its own).
        best = None
        for j in range(i - 1, max(i - 1 - MAX_NODES, -1), -1):
            if children[j].type not in _WALKED:
                break
            if children[j].type == "comment":
                continue
            if best is not None and not _SPECIFIERS.fullmatch(_blank(source[children[j].start_byte:best[0]])):
                break
            new = _rewrite(source[children[j].start_byte:end])
            if new is not None:
                best = (children[j].start_byte, new)
            elif best is not None:
                break
        if best is None:
            continue
        start, new = best
        extra = len(new) - (end - start)
        if extra:
            # `f()\n{`: no blanks after the name; take them from the blanks
            # and the comment just before the header (newlines kept), or
            # else from the indentation of the body's first lines.
            taken = _room_before(source, start, _floor(children, i), extra)
            if taken is not None:
                keep = bytes(b for k, b in enumerate(source[taken[0]:start], taken[0]) if k not in taken)
                start, new = taken[0], keep + new
            else:
                placed = _into_body(source, start, end, node, new) or \
                    _into_body(source, start, end, node, _rewrite(source[start:end], b"_ "))
                if placed is None:
                    continue
                end, new = placed
        if len(new) != end - start:
            continue
        out[start:end] = new
        moved.append(_moved(source, start, end, new))


def _moved(source: bytes, start: int, end: int, new: bytes) -> tuple:
    """The part of ``source[start:end]`` that ``new`` does not keep in place
    (outside it, the replaced text is the same bytes at the same offsets)."""
    old = source[start:end]
    lo = 0
    while lo < len(new) and new[lo] == old[lo]:
        lo += 1
    hi = len(new)
    while hi > lo and new[hi - 1] == old[hi - 1]:
        hi -= 1
    return start + lo, start + hi


MAX_BODY_ROOM = 4096    # bytes of a body's first lines searched for indentation to take


def _into_body(source: bytes, start: int, end: int, block: Node, new: Optional[bytes]) -> Optional[tuple]:
    """(the end of the replaced range, its text) for the header
    ``source[start:end]`` rewritten as ``new`` plus the first lines of its
    body ``block`` without as much of their indentation as ``new`` is
    longer; None when those lines have too little.  The line holding the
    first `vfork` and the lines after it keep theirs."""
    if new is None:
        return None
    wanted = len(new) - (end - start)
    if wanted <= 0:             # `_ ` fits where `int ` did not: blanks make up the rest
        return end, new + b" " * -wanted
    limit = min(block.end_byte, block.start_byte + MAX_BODY_ROOM)
    call = source.find(b"vfork", block.start_byte, limit)
    if call >= 0:
        limit = source.rfind(b"\n", block.start_byte, call) + 1
    taken: list = []
    at = source.find(b"\n", block.start_byte, limit)
    while 0 <= at < limit and len(taken) < wanted:
        k = at + 1
        continued = source[max(at - 1, 0):at] == b"\\" or source[max(at - 2, 0):at] == b"\\\r"
        while k < limit and source[k] in (0x20, 0x09) and len(taken) < wanted:
            if not continued:       # a blank that starts a line joins no tokens when it goes
                taken.append(k)
            k += 1
        at = source.find(b"\n", k, limit)
    if len(taken) < wanted:
        return None
    q = taken[-1] + 1
    gone = set(taken)
    return q, new + bytes(b for k, b in enumerate(source[end:q], end) if k not in gone)


def _floor(children: list, i: int) -> int:
    """Where the last node before block ``i`` that is neither part of its
    header nor a comment ends (0 for none): room is never taken from it."""
    for j in range(i - 1, -1, -1):
        if children[j].type not in _WALKED:
            return children[j].end_byte
    return 0


def _room_before(source: bytes, start: int, floor: int, wanted: int) -> Optional[list]:
    """Offsets of ``wanted`` bytes before ``start`` (not before ``floor``)
    that can go without changing the parse: blanks, and characters inside
    comments other than newlines, nearest first; None when there are too few."""
    found: list = []
    at = start
    while at > floor and len(found) < wanted:
        c = source[at - 1]
        if c in (0x20, 0x09):
            found.append(at - 1)
            at -= 1
        elif c in (0x0A, 0x0D):
            at -= 1
        elif source[max(at - 2, floor):at] == b"*/":
            opening = source.rfind(b"/*", floor, at - 2)
            if opening < 0:
                return None
            for k in range(at - 3, opening + 1, -1):
                if len(found) == wanted:
                    break
                # Letters, digits and blanks, never next to `*` or `/`: no
                # removal can make a `*/` that ends the comment early.
                if (chr(source[k]).isalnum() and source[k] < 0x80 or source[k] in (0x20, 0x09)) \
                        and source[k - 1] != 0x2A and source[k + 1] != 0x2F:
                    found.append(k)
            at = opening
        else:
            return None
    return sorted(found) if len(found) == wanted else None
