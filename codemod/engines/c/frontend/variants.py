"""The texts of a site's configurations: the names the undecided `#if`s
around it test (:func:`atoms`), how many consistent assignments they have
(:func:`count`, without making them) and each assignment
(:func:`assignments`), for codemod.engines.c.configurations to analyse."""
from __future__ import annotations

import itertools
import re
from typing import Optional

from codemod.engines.c.frontend import preproc
from codemod.engines.c.frontend.syntax import Node

_BOOLEAN = re.compile(rb"^(?:\s|defined|[A-Za-z_]\w*|[()!]|&&|\|\||0|1|/\*.*?\*/)*$", re.S)


def top_item(root: Node, tok: Node) -> Node:
    node = tok
    while node.parent is not None and node.parent != root:
        node = node.parent
    return node


def blanks(text: bytes) -> bytes:
    return bytes(b if b in (0x0A, 0x0D) else 0x20 for b in text)


def function_lines(text: bytes, at: int, lo: int, hi: int) -> tuple:
    """Inside an ERROR region spanning several functions, the lines of the
    one holding ``at``: from after the previous `}` in column 0 to the next
    one (the usual C layout); the whole region when there is no such line."""
    before = text.rfind(b"\n}", lo, at)
    after = text.find(b"\n}", at, hi)
    if after < 0:
        return lo, hi
    start = text.find(b"\n", before + 2, at) + 1 if before >= 0 else lo
    end = text.find(b"\n", after + 2, hi)
    return (start if start > 0 else lo), (hi if end < 0 else end + 1)


def atoms(text: bytes, config: preproc.Config) -> Optional[list]:
    """The (kind, name) pairs the undecided conditionals of ``text`` test,
    or None when one is more than a boolean of names."""
    out: list = []
    for start, end in preproc.directive_lines(text):
        m = preproc.DIRECTIVE.match(text, start, end)
        if m is None or m.group(1) in (b"else", b"endif"):
            continue
        kind, rest = m.group(1).decode(), preproc.strip_comments(m.group(2))
        if kind in ("ifdef", "ifndef"):
            name = rest.strip().decode("utf-8", "replace")
            if not config.known(name):
                out.append(("defined", name))
            continue
        if preproc.evaluate(rest, config) is not None:
            continue
        if not _BOOLEAN.match(rest):
            return None
        words = re.findall(rb"defined\s*\(?\s*([A-Za-z_]\w*)|([A-Za-z_]\w*)", rest)
        for in_defined, plain in words:
            if in_defined:
                out.append(("defined", in_defined.decode()))
            elif plain != b"defined":
                out.append(("value", plain.decode()))
    seen = []
    for a in out:
        if a not in seen and not config.known(a[1]):
            seen.append(a)
    return seen


def count(atoms: list) -> int:
    """How many consistent assignments :func:`assignments` yields, computed
    without making them: a name tested both as `defined(X)` and as `X` has
    three (undefined, defined as 0, defined as 1), a name tested one way
    has two.  A function with 70 `#ifdef`s has 2^70 assignments; counting
    them one by one would never end."""
    total = 1
    for name in {name for _, name in atoms}:
        total *= 3 if ("defined", name) in atoms and ("value", name) in atoms else 2
    return total


def assignments(atoms: list):
    """(description, defines, undefines) for each consistent assignment;
    call it only when :func:`count` is within the cap."""
    names = sorted({name for _, name in atoms})
    for values in itertools.product((True, False), repeat=len(atoms)):
        state = dict(zip(atoms, values))
        defines, undefines, words = {}, set(), []
        ok = True
        for name in names:
            d = state.get(("defined", name))
            v = state.get(("value", name))
            if d is False and v:
                ok = False          # a true value needs the name defined
                break
            if d is False or (d is None and v is False):
                undefines.add(name)
                words.append(f"`{name}` undefined")
            else:
                defines[name] = "1" if v is not False else "0"
                words.append(f"`{name}` defined" + (" as 0" if v is False else ""))
        if ok:
            yield ", ".join(words), defines, frozenset(undefines)
