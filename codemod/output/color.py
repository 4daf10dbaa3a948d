"""ANSI colour for terminals; plain text elsewhere (and under NO_COLOR)."""
from __future__ import annotations

import os

CODES = {"spawn": "32", "fork": "36", "review": "33;1", "note": "2", "error": "31;1",
         "add": "32", "del": "31", "hunk": "36", "head": "1", "dim": "2"}


def enabled(stream, choice: str = "auto") -> bool:
    if choice == "always":
        return True
    if choice == "never" or os.environ.get("NO_COLOR"):
        return False
    return hasattr(stream, "isatty") and stream.isatty() and os.environ.get("TERM") != "dumb"


def paint(text: str, what: str, on: bool) -> str:
    return f"\033[{CODES[what]}m{text}\033[0m" if on and what in CODES else text


def diff(text: str, on: bool) -> str:
    """Colour a unified diff line by line."""
    if not on:
        return text
    out = []
    for line in text.split("\n"):
        if line.startswith(("+++", "---")):
            out.append(paint(line, "head", on))
        elif line.startswith("+"):
            out.append(paint(line, "add", on))
        elif line.startswith("-"):
            out.append(paint(line, "del", on))
        elif line.startswith("@@"):
            out.append(paint(line, "hunk", on))
        else:
            out.append(line)
    return "\n".join(out)
