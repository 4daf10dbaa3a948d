"""Attribute macros between a function's type and its name, blanked for
the parse of a file the project index reads.

    static void ATTRIBUTE_FORMAT((__printf__, 2, 0))
    verror_msg(int err_no, const char *fmt, va_list p)
    {

strace (and many GNU-style trees) wrap `__attribute__` in a macro taking
one doubly parenthesised argument.  tree-sitter reads the macro as the
function's name and the real name as a stray declaration inside an ERROR,
so the index learned `ATTRIBUTE_FORMAT` and never `verror_msg`.
:func:`blank` replaces each such call by spaces (newlines kept: every
offset stays) where it stands at the start of a line or after the
function's type, followed by a name and `(` on the same or the next line;
`int f __P((int));` (a prototype macro, followed by `;`) is left alone.
"""
from __future__ import annotations

import re
from typing import Optional

MAX_ARGUMENT = 200         # characters inside the double parentheses

# The macro call: an identifier, then `((...))` holding no parenthesis
# of its own, then blanks and a name followed by `(`.
_CALL = re.compile(rb"(?m)(?<![A-Za-z0-9_])([A-Za-z_][A-Za-z0-9_]*[ \t]*\(\([^()\n;{}]{0,%d}\)\))"
                   rb"(?=[ \t]*\n?[ \t]*[A-Za-z_][A-Za-z0-9_]*[ \t]*\()" % MAX_ARGUMENT)
_KEYWORDS = frozenset({b"__attribute__", b"__attribute", b"__declspec", b"if", b"while", b"for", b"switch",
                       b"return", b"sizeof"})


def blank(source: bytes) -> Optional[bytes]:
    """``source`` with every such macro call blanked, or None when it has none."""
    out = bytearray(source)
    found = False
    for m in _CALL.finditer(source):
        name = re.match(rb"[A-Za-z_][A-Za-z0-9_]*", m.group(1)).group(0)
        start = source.rfind(b"\n", 0, m.start()) + 1
        head = source[start:m.start()]
        # At a line's start, or after the storage class and type of a
        # declaration at file scope (a line starting in column 0 with a word).
        if name in _KEYWORDS or (head and not re.fullmatch(rb"[A-Za-z_][A-Za-z0-9_ \t*]*", head)):
            continue
        out[m.start():m.end()] = b" " * (m.end() - m.start())
        found = True
    return bytes(out) if found else None
