"""Text for people: file names and quoted source code made safe to show.

File names and source text come from the tree being scanned, and a hostile
tree can put terminal escape sequences, carriage returns or newlines in
them.  Every human-readable output (text reports, messages on stderr, the
interactive prompt, review patches and their index) passes them through
here; JSON and SARIF keep the exact values.

* :func:`path` quotes a name as git does (``core.quotePath``): when it holds
  a control character, a double quote, a backslash or a byte that is not
  UTF-8, it is shown in double quotes with C escapes (``"a\\nb.c"``).
* :func:`text` escapes control characters inside a message the same way,
  without quotes: C0 and C1 controls, DEL, bytes that are not UTF-8, and the
  Unicode format controls that reorder or hide text (bidirectional
  overrides, line and paragraph separators).
"""
from __future__ import annotations

import re

_NAMED = {"\a": "\\a", "\b": "\\b", "\t": "\\t", "\n": "\\n", "\v": "\\v", "\f": "\\f", "\r": "\\r"}
# C0, DEL, C1, the line/paragraph separators and the bidirectional controls;
# lone surrogates are the bytes of a name or text that are not UTF-8.
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069\udc80-\udcff]")
_UNSAFE_NO_TAB = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069"
                            "\udc80-\udcff]")


def _escape(ch: str) -> str:
    if ch in _NAMED:
        return _NAMED[ch]
    code = ord(ch)
    if 0xDC80 <= code <= 0xDCFF:            # an undecodable byte, kept by surrogateescape
        return "\\%03o" % (code - 0xDC00)
    if code < 0x100:
        return "".join("\\%03o" % b for b in ch.encode("utf-8"))
    return "\\u%04x" % code


def text(s: str, keep_tabs: bool = False) -> str:
    """``s`` with every unsafe character shown as an escape."""
    pattern = _UNSAFE_NO_TAB if keep_tabs else _UNSAFE
    return pattern.sub(lambda m: _escape(m.group(0)), s)


def path(name: str) -> str:
    """A file name as git shows it: quoted with escapes when it needs them."""
    if not _UNSAFE.search(name) and '"' not in name and "\\" not in name:
        return name
    return '"' + text(name.replace("\\", "\\\\").replace('"', '\\"')) + '"'


def line(s: str) -> str:
    """A line of a diff or source shown on a terminal: tabs stay, a CR that
    ends the line (CRLF files) stays, everything else unsafe is escaped."""
    end = "\r" if s.endswith("\r") else ""
    return text(s[: len(s) - len(end)], keep_tabs=True) + end
