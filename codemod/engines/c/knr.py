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

from codemod.engines.c.syntax import Node

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
    """The header ``text`` (up to its `{`) as a parseable definition head
    of the same length, or None when it is not a K&R header with room."""
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
        # Four blanks of the declarations make room for `int `.
        if rest.count(0x20) < 4:
            return None
        for _ in range(4):
            rest.remove(0x20)
        at = m.start("name")
        head = head[:at] + b"int " + head[at:]
    return head + params + bytes(rest)


def normalise(source: bytes, root: Node) -> Optional[bytes]:
    """``source`` with every implicit-int K&R header made parseable, or None when there is none."""
    children = list(root.children)
    out = bytearray(source)
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
        if len(new) != end - start:
            continue
        out[start:end] = new
        changed = True
    return bytes(out) if changed else None
