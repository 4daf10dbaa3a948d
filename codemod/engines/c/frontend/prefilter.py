"""The second filter before a C parse: a needle must occur as a whole token
outside comments, string and character literals.

The first filter (ripgrep, grep, or a byte search) passes every file whose
bytes contain `vfork`; in real trees most of those mention it only in
comments, strings or longer names (`follow_vfork`,
`TARGET_WAITKIND_VFORKED`), and a parse of them finds nothing.  This scan
tells them apart at about the speed of reading the file: the whole-token
occurrences are found with `bytes.find`, and only a file that has one is
lexed, jumping from one quote or slash to the next.

It errs only one way: a quote or `/*` it cannot pair (an unterminated
literal, a multi-character constant) anywhere in a file with a whole-token
occurrence sends it to the parser, whose error recovery might pair things
otherwise.
Preprocessor lines are code (a `#define xvfork() vfork()` must be parsed).
A file without any whole-token occurrence cannot hold a site, whatever its
comments and strings do.
"""
from __future__ import annotations

import re

_OPENERS = (b"/", b'"', b"'")
_STRING = re.compile(rb"\"(?:\\.|[^\"\\\n])*\"", re.S)
_CHAR = re.compile(rb"'(?:\\[^\n]|[^'\\\n])'")
_FEW_NEEDLES = 8      # beyond this, one pass over the words instead of a search per needle
_IDENTIFIER = re.compile(rb"(?<![A-Za-z0-9_])[A-Za-z_][A-Za-z0-9_]*")
_WORD = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_")


def occurrences(source: bytes, needles: tuple) -> list:
    """Offsets, ascending, where a needle occurs as a whole word (not inside
    a longer name), in code or not."""
    if len(needles) > _FEW_NEEDLES and all(_IDENTIFIER.fullmatch(n) for n in needles):
        wanted = frozenset(needles)
        return [m.start() for m in _IDENTIFIER.finditer(source) if m.group() in wanted]
    out = []
    size = len(source)
    for needle in needles:
        i = source.find(needle)
        while i >= 0:
            j = i + len(needle)
            if (i == 0 or source[i - 1] not in _WORD) and (j >= size or source[j] not in _WORD):
                out.append(i)
            i = source.find(needle, i + 1)
    out.sort()
    return out


def mentions(source: bytes, needles: tuple) -> bool:
    """A needle occurs in ``source`` as a token of code, or it occurs as a
    word and the file has a quote or comment opener this scan cannot pair:
    then it is parsed."""
    found = occurrences(source, needles)
    if not found:
        return False
    end = len(source)
    found.append(end + 1)                 # a sentinel: every occurrence placed, keep pairing to the end
    k, pos = 0, 0
    # The next slash, double and single quote at or after pos (end: none).
    ahead = [source.find(c, 0) for c in _OPENERS]
    ahead = [end if i < 0 else i for i in ahead]
    while True:
        for j in range(3):
            if ahead[j] < pos:
                i = source.find(_OPENERS[j], pos)
                ahead[j] = end if i < 0 else i
        at = min(ahead)
        if found[k] < at:
            return True                   # in the code before the next comment or literal
        if at == end:
            return False
        c = source[at]
        if c == 0x2F:                     # '/'
            after = source[at + 1:at + 2]
            if after == b"/":
                newline = source.find(b"\n", at)
                pos = end if newline < 0 else newline
            elif after == b"*":
                close = source.find(b"*/", at + 2)
                if close < 0:
                    return True
                pos = close + 2
            else:
                pos = at + 1              # a division
                continue
        else:
            literal = (_STRING if c == 0x22 else _CHAR).match(source, at)
            if literal is None:
                return True
            pos = literal.end()
        while found[k] < pos:             # inside the comment or literal just skipped
            k += 1
