"""The second filter before a C parse: a needle must occur as a whole token
outside comments, string and character literals.

The first filter (grep, or a byte search) passes every file whose bytes
contain `vfork`; in real trees most of those mention it only in comments,
strings or longer names (`follow_vfork`, `TARGET_WAITKIND_VFORKED`), and a
parse of them finds nothing.  This scan, one regular expression run in C
over the file, tells them apart.  It errs only one way: a quote or `/*` it
cannot pair (an unterminated literal, a multi-character constant), or a
line splice ending a `//` comment, makes the file go to the parser.  Preprocessor lines are code (a
`#define xvfork() vfork()` must be parsed).
"""
from __future__ import annotations

import functools
import re


@functools.lru_cache(maxsize=8)
def _pattern(needles: tuple) -> "re.Pattern":
    words = b"|".join(re.escape(n) for n in sorted(needles, key=len, reverse=True))
    return re.compile(rb"//[^\n]*|/\*.*?\*/|\"(?:\\.|[^\"\\\n])*\"|'(?:\\[^\n]|[^'\\\n])'"
                      rb"|(?<![A-Za-z0-9_])(" + words + rb")(?![A-Za-z0-9_])|(['\"]|/\*)", re.S)


def mentions(source: bytes, needles: tuple) -> bool:
    """A needle occurs in ``source`` as a token of code, or the file has a
    quote or comment opener this scan cannot pair (the parser's error
    recovery might pair it otherwise): then it is parsed."""
    for m in _pattern(tuple(needles)).finditer(source):
        if m.group(1) is not None or m.group(2) is not None:
            return True
    return False
