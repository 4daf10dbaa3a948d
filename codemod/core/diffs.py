"""Unified diffs of byte strings that `git apply` accepts."""
from __future__ import annotations

import bisect
import difflib
import itertools
from typing import Iterable, Optional

NO_NEWLINE = b"\\ No newline at end of file\n"


def unified(display: str, old: bytes, new: bytes, context: int = 3,
            edits: Optional[Iterable] = None) -> bytes:
    """A diff with a/ and b/ prefixes.  Line endings are kept as they are
    (CRLF files give CRLF content lines), and a missing final newline gets
    git's marker line.

    ``edits`` (the byte-range edits that turn ``old`` into ``new``, when the
    caller has them) make the diff fast on long files with scattered
    changes: difflib then compares only the lines each edit touches instead
    of the whole file.  The hunks are the same kind difflib makes; only the
    alignment inside a run of changed lines may differ."""
    if old == new:
        return b""      # edits can cancel out (delete a line, insert the same later)
    a = _lines(old)
    b = _lines(new)
    if edits is None:
        opcodes = difflib.SequenceMatcher(None, a, b).get_opcodes()
    else:
        opcodes = _opcodes_from_edits(old, a, b, sorted(edits, key=lambda e: (e.start, e.end)))
    name = git_name(display)
    out = [b"--- " + quote_path(b"a/" + name) + b"\n", b"+++ " + quote_path(b"b/" + name) + b"\n"]
    for group in _groups(opcodes, context):
        i1, i2, j1, j2 = group[0][1], group[-1][2], group[0][3], group[-1][4]
        out.append(b"@@ -%s +%s @@\n" % (_range(i1, i2), _range(j1, j2)))
        for tag, x1, x2, y1, y2 in group:
            if tag == "equal":
                _emit(out, b" ", a[x1:x2])
                continue
            if tag in ("replace", "delete"):
                _emit(out, b"-", a[x1:x2])
            if tag in ("replace", "insert"):
                _emit(out, b"+", b[y1:y2])
    return b"".join(out) if len(out) > 2 else b""


def _emit(out: list, mark: bytes, lines: list) -> None:
    for ln in lines:
        out.append(mark + ln)
        if not ln.endswith(b"\n"):
            out.append(b"\n" + NO_NEWLINE)


def _range(start: int, stop: int) -> bytes:
    """A hunk header range as difflib and git write it."""
    length = stop - start
    if length == 1:
        return b"%d" % (start + 1)
    return b"%d,%d" % (start if length == 0 else start + 1, length)


def _groups(opcodes: list, n: int):
    """Opcodes cut into hunks with ``n`` lines of context (difflib's rule)."""
    codes = list(opcodes)
    if not codes or (len(codes) == 1 and codes[0][0] == "equal"):
        return
    tag, i1, i2, j1, j2 = codes[0]
    if tag == "equal":
        codes[0] = tag, max(i1, i2 - n), i2, max(j1, j2 - n), j2
    tag, i1, i2, j1, j2 = codes[-1]
    if tag == "equal":
        codes[-1] = tag, i1, min(i2, i1 + n), j1, min(j2, j1 + n)
    group = []
    for tag, i1, i2, j1, j2 in codes:
        if tag == "equal" and i2 - i1 > 2 * n:
            group.append((tag, i1, min(i2, i1 + n), j1, min(j2, j1 + n)))
            yield group
            group = []
            i1, j1 = max(i1, i2 - n), max(j1, j2 - n)
        group.append((tag, i1, i2, j1, j2))
    if group and not (len(group) == 1 and group[0][0] == "equal"):
        yield group


def _opcodes_from_edits(old: bytes, a: list, b: list, edits: list) -> list:
    """difflib opcodes for the whole file, from difflib run on each block of
    lines the edits touch.  Blocks are whole old lines; edits whose lines
    meet share a block."""
    starts = list(itertools.accumulate(map(len, a), initial=0))
    blocks = []  # [first line, end line, edits]
    for e in edits:
        first = bisect.bisect_right(starts, e.start) - 1
        # The line holding e.end is included whole, so a block's new text
        # always ends where a line ends.
        end = min(bisect.bisect_right(starts, e.end), len(a))
        if first == len(a) and old and not old.endswith(b"\n"):
            first -= 1  # appending to an unterminated last line
        if blocks and first <= blocks[-1][1]:
            blocks[-1][1] = end  # edits are sorted and do not overlap
            blocks[-1][2].append(e)
        else:
            blocks.append([first, end, [e]])
    codes = []
    i = j = 0
    for first, end, mine in blocks:
        if first > i:
            codes.append(("equal", i, first, j, j + first - i))
            j += first - i
        base = starts[first]
        pieces, pos = [], base
        for e in mine:
            pieces += [old[pos:e.start], e.text]
            pos = e.end
        pieces.append(old[pos:starts[end]])
        new_lines = _lines(b"".join(pieces))
        for tag, x1, x2, y1, y2 in difflib.SequenceMatcher(None, a[first:end], new_lines).get_opcodes():
            codes.append((tag, first + x1, first + x2, j + y1, j + y2))
        i, j = end, j + len(new_lines)
    if i < len(a):
        codes.append(("equal", i, len(a), j, j + len(a) - i))
    if j + len(a) - i != len(b):
        raise ValueError("the edits do not turn the old text into the new one")
    return _merged(codes)


def _merged(codes: list) -> list:
    out = []
    for c in codes:
        if c[1] == c[2] and c[3] == c[4]:
            continue
        if out and out[-1][0] == c[0] == "equal":
            p = out[-1]
            out[-1] = ("equal", p[1], c[2], p[3], c[4])
        else:
            out.append(c)
    return out


def git_name(display: str) -> bytes:
    """The path as a diff names it (no leading ./ or /), in the file system's bytes."""
    name = display.lstrip("./") if display.startswith("./") else display.lstrip("/")
    return name.encode("utf-8", "surrogateescape")


_ESCAPES = {ord("\n"): b"\\n", ord("\t"): b"\\t", ord('"'): b'\\"', ord("\\"): b"\\\\"}


def quote_path(path: bytes) -> bytes:
    """A path for a diff header, quoted as git quotes it when it holds a
    control character, a double quote or a backslash (a newline in a name
    would otherwise end the header line).  Other bytes stay raw, which
    `git apply` reads."""
    if not any(b < 0x20 or b in (0x22, 0x5C, 0x7F) for b in path):
        return path
    out = bytearray(b'"')
    for b in path:
        if b in _ESCAPES:
            out += _ESCAPES[b]
        elif b < 0x20 or b == 0x7F:
            out += b"\\%03o" % b
        else:
            out.append(b)
    return bytes(out + b'"')


def _lines(data: bytes) -> list:
    """Split after each LF only: a lone CR is content, as git sees it."""
    parts = data.split(b"\n")
    out = [p + b"\n" for p in parts[:-1]]
    if parts[-1]:
        out.append(parts[-1])
    return out
