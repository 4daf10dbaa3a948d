"""Function-like macros expanded as text, the way the preprocessor does.

:func:`substitute` puts a call's arguments into a macro's body (`#`
stringifies, `##` pastes).  The analysis parses that expansion and visits
the calls in it, expanding nested macros where it meets them
(codemod.engines.c.proof.analysis).  Some bodies only parse after the
preprocessor's two further steps, which :func:`preprocess` adds:

* **argument pre-expansion**: an argument that is neither stringified nor
  pasted is expanded before it is substituted (C11 6.10.3.1), so busybox's
  `BB_MSG(name, BB_MSG_KIND(...), ...)` hands `_not_simple`, not the call,
  to the macro that pastes it;
* **rescanning**: the result's own macro calls are expanded in the text
  (6.10.3.4), so ltp's `TST_EXP_EQ_(a, #a, b, #b, long long, "lli")`, whose
  `long long` argument is no expression, becomes the statements it stands for.

Each has a budget: :data:`MAX_EXPANSION` characters, :data:`MAX_NESTING`
levels of macros inside macros, :data:`MAX_CALLS` expansions in one text.
A macro is never expanded inside its own expansion (6.10.3.4p2).
"""
from __future__ import annotations

import re
from typing import Callable, Optional

MAX_EXPANSION = 100_000     # characters of one macro expansion
MAX_NESTING = 6             # macros inside macros (as deep as helper chains go)
MAX_CALLS = 256             # macro calls one preprocess() expands

_TOKEN = re.compile(r"[A-Za-z_][A-Za-z0-9_]*|\"(?:\\.|[^\"\\\n])*\"|'(?:\\.|[^'\\\n])*'|/\*.*?\*/|//[^\n]*|##|#|\s+|.",
                    re.S)


def substitute(d, args: list, pre: Optional[Callable[[str], Optional[str]]] = None) -> Optional[str]:
    """The body of macro definition ``d`` with its parameters replaced by
    ``args`` (None when the counts do not fit).  ``pre``, when given,
    expands an argument that is neither stringified nor pasted first."""
    params = list(d.params or ())
    variadic = bool(params) and params[-1] == "..."
    if variadic:
        params.pop()
        if len(args) < len(params):
            return None
        values = dict(zip(params, args))
        values["__VA_ARGS__"] = ", ".join(args[len(params):])
    else:
        if args == [] and params == []:
            values = {}
        elif len(args) != len(params):
            return None
        else:
            values = dict(zip(params, args))
    # As the preprocessor does: the argument's tokens, no parentheses added.
    return expansion(d.text, values, pre)


def expansion(body: str, values: dict, pre: Optional[Callable[[str], Optional[str]]] = None) -> Optional[str]:
    """A macro's body with ``values`` substituted for its parameters as the
    preprocessor does: comments are blanks, `#` makes a string of an
    argument and `##` pastes two tokens (C11 6.10.3.2-3; and GNU's
    `, ## __VA_ARGS__`, whose comma goes with empty variable arguments).
    Operands of `#` and `##` are the arguments' own text; other arguments
    go through ``pre`` when it is given (and it gives an answer).  None
    when the body misuses an operator (`#` not before a parameter, `##` at
    an end)."""
    tokens = [" " if m.group().startswith(("/*", "//")) else m.group() for m in _TOKEN.finditer(body)]
    out: list = []              # (text, is_blank)
    paste = False
    i = 0
    while i < len(tokens):
        t = tokens[i]
        if t == "##":
            while out and out[-1][1]:
                out.pop()
            if not out:
                return None
            paste, i = True, i + 1
            continue
        if t.isspace():
            if not paste:
                out.append((t, True))
            i += 1
            continue
        if t == "#":
            j = i + 1
            while j < len(tokens) and tokens[j].isspace():
                j += 1
            if j == len(tokens) or tokens[j] not in values:
                return None
            t, piece, i = tokens[j], stringify(values[tokens[j]]), j + 1
        elif t in values:
            piece, i = values[t], i + 1
            if pre is not None and not paste and _next(tokens, i) != "##":
                expanded = pre(piece)
                piece = expanded if expanded is not None else piece
        else:
            piece, i = t, i + 1
        if paste:
            left, _ = out.pop()
            if left == "," and t == "__VA_ARGS__":
                out.append(("," + piece if piece.strip() else "", False))
            else:
                out.append((left + piece, False))
            paste = False
        else:
            out.append((piece, False))
    if paste:
        return None
    return "".join(t for t, _ in out)


def _next(tokens: list, i: int) -> Optional[str]:
    """The first token from ``i`` on that is not a blank."""
    while i < len(tokens) and tokens[i].isspace():
        i += 1
    return tokens[i] if i < len(tokens) else None


def stringify(arg: str) -> str:
    """``#arg``: the argument's text as a string literal; blanks between
    its tokens become one space, `"` and `\\` inside its string and
    character literals are escaped."""
    pieces = []
    for m in _TOKEN.finditer(" ".join(arg.split())):
        t = m.group()
        pieces.append(t.replace("\\", "\\\\").replace('"', '\\"') if t[0] in "\"'" else t)
    return '"' + "".join(pieces) + '"'


def preprocess(d, args: list, macro: Callable[[str], Optional[object]], pre_expand: bool = True,
               active: tuple = ()) -> Optional[str]:
    """The expansion of ``d`` called with ``args`` as the preprocessor
    makes it: arguments expanded before they are substituted, the result
    rescanned.  ``macro(name)`` is the one function-like macro definition
    ``name`` has, or None (a function, a macro defined differently under
    `#if`s, an unknown name: left as it is).  None when a budget is reached
    or a call's parentheses do not balance.  With ``pre_expand`` false,
    arguments are substituted as they are (what expanding each macro call
    where it is met gives, for telling when pre-expansion matters).
    ``active``: the macros whose expansion this call sits in, which are not
    expanded again inside it."""
    calls = [0]
    outer = frozenset(active)
    pre = (lambda a: _rescan(a, macro, outer, 1, calls, pre_expand)) if pre_expand else None
    body = substitute(d, args, pre)
    if body is None:
        return None
    return _rescan(body, macro, outer | {d.name}, 1, calls, pre_expand)


def _rescan(text: str, macro, active: frozenset, level: int, calls: list, pre_expand: bool) -> Optional[str]:
    """``text`` with the macro calls in it expanded (none of ``active``, the
    macros being expanded around it)."""
    if level > MAX_NESTING or len(text) > MAX_EXPANSION:
        return None
    tokens = [m.group() for m in _TOKEN.finditer(text)]
    out: list = []
    i = 0
    while i < len(tokens):
        t = tokens[i]
        d = None
        if (t[0].isalpha() or t[0] == "_") and t not in active and _next(tokens, i + 1) == "(":
            d = macro(t)
        if d is None or getattr(d, "params", None) is None:
            out.append(t)
            i += 1
            continue
        found = _arguments(tokens, i + 1)
        if found is None:
            return None
        args, i = found
        if not d.params and args == [""]:
            args = []
        calls[0] += 1
        if calls[0] > MAX_CALLS:
            return None
        pre = (lambda a: _rescan(a, macro, active, level + 1, calls, pre_expand)) if pre_expand else None
        body = substitute(d, args, pre)
        body = _rescan(body, macro, active | {t}, level + 1, calls, pre_expand) if body is not None else None
        if body is None:
            return None
        out.append(body)
        if sum(map(len, out)) > MAX_EXPANSION:
            return None
    return "".join(out)


def _arguments(tokens: list, i: int) -> Optional[tuple]:
    """The arguments of the call whose `(` is the first token from ``i``
    on that is not a blank, and the index after its `)`; None when the
    parentheses do not close."""
    while tokens[i].isspace():
        i += 1
    depth, args, current = 0, [], []
    for k in range(i, len(tokens)):
        t = tokens[k]
        if t == "(":
            depth += 1
            if depth == 1:
                continue
        elif t == ")":
            depth -= 1
            if depth == 0:
                args.append("".join(current).strip())
                return args, k + 1
        elif t == "," and depth == 1:
            args.append("".join(current).strip())
            current = []
            continue
        current.append(t)
    return None
