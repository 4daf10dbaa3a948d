"""Attribute macros between a function's type and its name, blanked for
the parse of a file the project index reads.

    static void ATTRIBUTE_FORMAT((__printf__, 2, 0))
    verror_msg(int err_no, const char *fmt, va_list p)
    {

    void ATTRIBUTE_NORETURN
    die(void)
    {

strace (and many GNU-style trees) wrap `__attribute__` in a macro taking
one doubly parenthesised argument.  tree-sitter reads the macro as the
function's name and the real name as a stray declaration inside an ERROR,
so the index learned `ATTRIBUTE_FORMAT` and never `verror_msg`.
:func:`blank` replaces each such call by spaces (newlines kept: every
offset stays) where it stands at the start of a line or after the
function's type, followed by a name and `(` on the same or the next line;
`int f __P((int));` (a prototype macro, followed by `;`) is left alone.
A lone word after a primitive type on the line before `name(` is blanked
too.  The index keeps the words blanked among the definition's words
(where a noreturn macro is looked for).
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


# `void ATTRIBUTE_NORETURN` (strace's die) or `int FAST_FUNC` on a line of
# its own before `name(` in column 0: after a primitive type (or a `*`)
# a second word is no type, so it is a macro (tree-sitter reads the line as
# a declaration missing its `;`, then a function named `void`).  A line
# ending in any other word (`static foo_t`) is GNU style: the word is the type.
_WORD_AFTER_TYPE = re.compile(
    rb"(?m)^(?:(?:static|extern|inline|__inline__|const|volatile)[ \t]+)*"
    rb"(?:(?:void|int|char|short|long|float|double|unsigned|signed|_Bool)[ \t]*)+[ \t*]*"
    rb"([A-Za-z_][A-Za-z0-9_]*)[ \t]*(?=\n[A-Za-z_][A-Za-z0-9_]*[ \t]*\()")
_C_WORDS = frozenset(b"""void int char short long float double unsigned signed _Bool const volatile static extern
inline restrict register auto struct union enum""".split())


def blank(source: bytes, found: Optional[list] = None) -> Optional[bytes]:
    """``source`` with every such macro blanked (the :func:`spans` given,
    else its own), or None when it has none."""
    found = spans(source) if found is None else found
    if not found:
        return None
    out = bytearray(source)
    for start, end in found:
        out[start:end] = b" " * (end - start)
    return bytes(out)


def spans(source: bytes) -> list:
    """The (start, end) byte ranges :func:`blank` blanks, in order."""
    out = []
    for m in _WORD_AFTER_TYPE.finditer(source):
        if m.group(1) not in _C_WORDS:
            out.append(m.span(1))
    for m in _CALL.finditer(source):
        name = re.match(rb"[A-Za-z_][A-Za-z0-9_]*", m.group(1)).group(0)
        start = source.rfind(b"\n", 0, m.start()) + 1
        head = source[start:m.start()]
        # At a line's start, or after the storage class and type of a
        # declaration at file scope (a line starting in column 0 with a word).
        if name in _KEYWORDS or (head and not re.fullmatch(rb"[A-Za-z_][A-Za-z0-9_ \t*]*", head)):
            continue
        out.append(m.span(1))
    return sorted(out)
