"""Old C that tree-sitter reads only with help: K&R definitions with an
implicit `int` return type.

    main(argc, argv)          tree-sitter reads this as a call statement,
        int argc;             two declarations and a block at file scope,
        char **argv;          so a vfork inside was "outside a function".
    {

:func:`normalise` rewrites such a header, for the parse only, as
`int main(argc, argv)` followed by blanks where the parameter declarations
were (their newlines kept): the same length, so every offset after it, the
body's included, is unchanged.  The parameters lose their types in the
parse; nothing the analysis proves depends on them.
"""
from __future__ import annotations

from typing import Optional

from codemod.engines.c.syntax import Node


def _header(stmt: Node) -> Optional[Node]:
    """The `name(a, b)` call of a K&R header statement, or None."""
    if stmt.type != "expression_statement" or stmt.named_child_count != 1:
        return None
    call = stmt.named_children[0]
    if call.type != "call_expression" or call.child_by_field_name("function").type != "identifier":
        return None
    args = call.child_by_field_name("arguments")
    if any(a.type not in ("identifier", "comment") for a in args.named_children):
        return None
    return call


def normalise(source: bytes, root: Node) -> Optional[bytes]:
    """``source`` with every implicit-int K&R header made parseable, or None when there is none."""
    children = [c for c in root.children if c.type != "comment"]
    out = bytearray(source)
    changed = False
    for i, node in enumerate(children):
        if node.type != "compound_statement":
            continue
        j = i - 1
        while j >= 0 and children[j].type == "declaration":
            j -= 1
        call = _header(children[j]) if j >= 0 else None
        if call is None:
            continue
        start, end = call.start_byte, node.start_byte
        # What follows `)` up to `{`: blanks, newlines kept; four blanks make room for `int `.
        rest = [b if b in (0x0A, 0x0D) else 0x20 for b in source[call.end_byte:end]]
        if rest.count(0x20) < 4:
            continue
        for _ in range(4):
            rest.remove(0x20)
        new = b"int " + source[start:call.end_byte] + bytes(rest)
        if len(new) != end - start:
            continue
        out[start:end] = new
        changed = True
    return bytes(out) if changed else None
