"""Read a file's layout conventions so generated code matches them."""
from __future__ import annotations

import re
from collections import Counter
from math import gcd


def newline(source: bytes) -> bytes:
    """The file's dominant line ending."""
    crlf = source.count(b"\r\n")
    return b"\r\n" if crlf and crlf * 2 >= source.count(b"\n") else b"\n"


def indent_unit(source: bytes) -> bytes:
    """One level of indentation: a tab, or the file's step in spaces (default 4)."""
    tabs = spaces = 0
    widths: Counter = Counter()
    for m in re.finditer(rb"^([ \t]+)\S", source, re.M):
        lead = m.group(1)
        if lead.startswith(b"\t"):
            tabs += 1
        elif b"\t" not in lead:
            spaces += 1
            widths[len(lead)] += 1
    if tabs >= spaces and tabs:
        return b"\t"
    step = 0
    for w, _ in widths.most_common(6):
        step = gcd(step, w)
    return b" " * (step if step >= 2 else 4)


def line_start(source: bytes, pos: int) -> int:
    return source.rfind(b"\n", 0, pos) + 1


def indentation_at(source: bytes, pos: int) -> bytes:
    """The leading white space of the line holding ``pos``."""
    start = line_start(source, pos)
    m = re.match(rb"[ \t]*", source[start:pos])
    return m.group(0)


def starts_line(source: bytes, pos: int) -> bool:
    return source[line_start(source, pos):pos].strip(b" \t") == b""


def whole_lines(source: bytes, start: int, end: int) -> tuple[int, int]:
    """Widen [start, end) to full lines when only blanks surround it on them."""
    ls = line_start(source, start)
    if source[ls:start].strip(b" \t"):
        return start, end
    nl = source.find(b"\n", end)
    stop = len(source) if nl < 0 else nl + 1
    if source[end:stop].strip(b" \t\r\n"):
        return start, end
    return ls, stop
