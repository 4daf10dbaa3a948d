"""Unified diffs of byte strings that `git apply` accepts."""
from __future__ import annotations

import difflib

NO_NEWLINE = b"\\ No newline at end of file\n"


def unified(display: str, old: bytes, new: bytes, context: int = 3) -> bytes:
    """A diff with a/ and b/ prefixes.  Line endings are kept as they are
    (CRLF files give CRLF content lines), and a missing final newline gets
    git's marker line."""
    name = display.lstrip("./") if display.startswith("./") else display.lstrip("/")
    lines = difflib.diff_bytes(
        difflib.unified_diff,
        _lines(old),
        _lines(new),
        b"a/" + name.encode("utf-8", "surrogateescape"),
        b"b/" + name.encode("utf-8", "surrogateescape"),
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


def _lines(data: bytes) -> list:
    """Split after each LF only: a lone CR is content, as git sees it."""
    parts = data.split(b"\n")
    out = [p + b"\n" for p in parts[:-1]]
    if parts[-1]:
        out.append(parts[-1])
    return out
