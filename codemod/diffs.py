"""Unified diffs of byte strings that `git apply` accepts."""
from __future__ import annotations

import difflib

NO_NEWLINE = b"\\ No newline at end of file\n"


def unified(display: str, old: bytes, new: bytes, context: int = 3) -> bytes:
    """A diff with a/ and b/ prefixes.  Line endings are kept as they are
    (CRLF files give CRLF content lines), and a missing final newline gets
    git's marker line."""
    name = git_name(display)
    lines = difflib.diff_bytes(
        difflib.unified_diff,
        _lines(old),
        _lines(new),
        quote_path(b"a/" + name),
        quote_path(b"b/" + name),
        n=context,
    )
    out = []
    for ln in lines:
        if ln.startswith((b"---", b"+++")) and not ln.endswith(b"\n"):
            ln += b"\n"
        out.append(ln)
        if not ln.endswith(b"\n"):
            out.append(b"\n" + NO_NEWLINE)
    return b"".join(out)


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
