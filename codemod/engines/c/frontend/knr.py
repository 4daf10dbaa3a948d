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
analysis proves depends on them.  A header is recognised by its text,
whatever tree-sitter made of it: up to :data:`MAX_NODES` file-scope
declarations, statements or ERROR nodes before a file-scope block must
read, comments aside, as storage classes or a type, `name(a, b, ...)`,
then parameter declarations each ending in `;`.
"""
from __future__ import annotations

import re
from typing import Optional

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


def _rewrite(text: bytes) -> Optional[bytes]:
    """The header ``text`` (up to its `{`) as a parseable definition head,
    at most 4 bytes longer (`int ` with no blanks left to take it from),
    or None when it is not a K&R header."""
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
        for _ in range(min(4, rest.count(0x20))):
            rest.remove(0x20)
        at = m.start("name")
        head = head[:at] + b"int " + head[at:]
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


def normalise(source: bytes, root: Node) -> Optional[bytes]:
    """``source`` with every implicit-int K&R header made parseable, or None when there is none."""
    out = bytearray(source)
    changed = False
    for children in _scopes(root):
        changed = _normalise(source, children, out) or changed
    return bytes(out) if changed else None


def _normalise(source: bytes, children: list, out: bytearray) -> bool:
    changed = False
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
            # and the comment just before the header (newlines kept).
            taken = _room_before(source, start, _floor(children, i), extra)
            if taken is None:
                continue
            keep = bytes(b for k, b in enumerate(source[taken[0]:start], taken[0]) if k not in taken)
            start, new = taken[0], keep + new
        if len(new) != end - start:
            continue
        out[start:end] = new
        changed = True
    return changed


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
