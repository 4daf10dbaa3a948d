"""gitignore patterns, read and matched exactly as git does.

A port of git's ``dir.c`` (reading a pattern file, ``parse_path_pattern``,
``match_basename``, ``match_pathname``) and ``wildmatch.c`` (``dowild``),
so every line git accepts is accepted here with the same meaning: ``!``
alone, a lone ``\\``, a trailing backslash (never matches), ``[z-a]`` (matches
``z`` only), ``**`` in all its positions, POSIX classes.  Matching is
memoised on (pattern position, text position), so a pattern with many stars
costs at most their product with the name's length, never exponential time
(``*a*a*a...*b`` against a long name).
"""
from __future__ import annotations

from typing import Optional

GLOB_SPECIAL = frozenset("*?[\\")
MATCH, NOMATCH, ABORT_ALL, ABORT_TO_STARSTAR = 0, 1, -1, -2

_CLASSES = {
    "alnum": str.isalnum, "alpha": str.isalpha, "blank": lambda c: c in " \t",
    "cntrl": lambda c: ord(c) < 32 or ord(c) == 127, "digit": str.isdigit,
    "graph": lambda c: 33 <= ord(c) <= 126, "lower": str.islower,
    "print": lambda c: 32 <= ord(c) <= 126, "punct": lambda c: 33 <= ord(c) <= 126 and not c.isalnum(),
    "space": lambda c: c in " \t\n\v\f\r", "upper": str.isupper, "xdigit": lambda c: c in "0123456789abcdefABCDEF",
}


def as_bytes(s: str) -> str:
    """``s`` as git sees it, one character per byte of its UTF-8 encoding
    (undecodable bytes kept): ranges and suffixes compare bytes, as in git."""
    return s.encode("utf-8", "surrogateescape").decode("latin-1")


def wildmatch(pattern: str, text: str, pathname: bool) -> bool:
    """git's wildmatch() on byte strings mapped by :func:`as_bytes`;
    ``pathname`` is WM_PATHNAME (``*`` and ``?`` do not match ``/``)."""
    memo: dict = {}
    return _dowild(pattern, 0, text, 0, pathname, memo) == MATCH


def _ascii(c: str) -> bool:
    return ord(c) < 128


def _dowild(p: str, pi: int, t: str, ti: int, pathname: bool, memo: dict) -> int:
    key = (pi, ti)
    found = memo.get(key)
    if found is not None:
        return found
    result = _dowild_uncached(p, pi, t, ti, pathname, memo)
    memo[key] = result
    return result


def _dowild_uncached(p: str, pi: int, t: str, ti: int, pathname: bool, memo: dict) -> int:
    plen, tlen = len(p), len(t)
    while pi < plen:
        p_ch = p[pi]
        t_ch = t[ti] if ti < tlen else ""
        if t_ch == "" and p_ch != "*":
            return ABORT_ALL
        if p_ch == "\\":
            pi += 1
            p_ch = p[pi] if pi < plen else ""
            if t_ch != p_ch:
                return NOMATCH
        elif p_ch == "?":
            if pathname and t_ch == "/":
                return NOMATCH
        elif p_ch == "*":
            pi += 1
            if pi < plen and p[pi] == "*":
                prev = pi
                while pi < plen and p[pi] == "*":
                    pi += 1
                if not pathname:
                    match_slash = True
                elif (prev < 2 or p[prev - 2] == "/") and (
                        pi == plen or p[pi] == "/" or (p[pi] == "\\" and pi + 1 < plen and p[pi + 1] == "/")):
                    if pi < plen and p[pi] == "/" and _dowild(p, pi + 1, t, ti, pathname, memo) == MATCH:
                        return MATCH
                    match_slash = True
                else:
                    match_slash = False
            else:
                match_slash = not pathname
            if pi == plen:
                if not match_slash and "/" in t[ti:]:
                    return ABORT_TO_STARSTAR
                return MATCH
            if not match_slash and p[pi] == "/":
                slash = t.find("/", ti)
                if slash < 0:
                    return ABORT_ALL
                ti = slash
                # the slash is consumed by the loop, as in git
                pi += 1
                ti += 1
                continue
            while True:
                if ti >= tlen:
                    break
                if p[pi] not in GLOB_SPECIAL:
                    want = p[pi]
                    while ti < tlen and (match_slash or t[ti] != "/"):
                        if t[ti] == want:
                            break
                        ti += 1
                    if ti >= tlen or t[ti] != want:
                        return ABORT_ALL if match_slash else ABORT_TO_STARSTAR
                matched = _dowild(p, pi, t, ti, pathname, memo)
                if matched != NOMATCH:
                    if not match_slash or matched != ABORT_TO_STARSTAR:
                        return matched
                elif not match_slash and t[ti] == "/":
                    return ABORT_TO_STARSTAR
                ti += 1
            return ABORT_ALL
        elif p_ch == "[":
            pi += 1
            p_ch = p[pi] if pi < plen else ""
            if p_ch == "^":
                p_ch = "!"
            negated = p_ch == "!"
            if negated:
                pi += 1
                p_ch = p[pi] if pi < plen else ""
            prev_ch = ""
            matched = False
            while True:
                if not p_ch:
                    return ABORT_ALL
                if p_ch == "\\":
                    pi += 1
                    p_ch = p[pi] if pi < plen else ""
                    if not p_ch:
                        return ABORT_ALL
                    if t_ch == p_ch:
                        matched = True
                elif p_ch == "-" and prev_ch and pi + 1 < plen and p[pi + 1] != "]":
                    pi += 1
                    p_ch = p[pi]
                    if p_ch == "\\":
                        pi += 1
                        p_ch = p[pi] if pi < plen else ""
                        if not p_ch:
                            return ABORT_ALL
                    if prev_ch <= t_ch <= p_ch:
                        matched = True
                    p_ch = ""       # makes prev_ch empty
                elif p_ch == "[" and pi + 1 < plen and p[pi + 1] == ":":
                    start = pi + 2
                    end = p.find("]", start)
                    if end < 0:
                        return ABORT_ALL
                    if end - start < 1 or p[end - 1] != ":":
                        # no ":]": an ordinary "["
                        p_ch = "["
                        if t_ch == p_ch:
                            matched = True
                    else:
                        test = _CLASSES.get(p[start:end - 1])
                        if test is None:
                            return ABORT_ALL
                        if t_ch and _ascii(t_ch) and test(t_ch):
                            matched = True
                        pi = end
                        p_ch = ""
                elif t_ch == p_ch:
                    matched = True
                prev_ch = p_ch
                pi += 1
                p_ch = p[pi] if pi < plen else ""
                if p_ch == "]":
                    break
            if matched == negated or (pathname and t_ch == "/"):
                return NOMATCH
        else:
            if t_ch != p_ch:
                return NOMATCH
        pi += 1
        ti += 1
    return MATCH if ti >= tlen else NOMATCH


def _simple_length(s: str) -> int:
    for i, c in enumerate(s):
        if c in GLOB_SPECIAL:
            return i
    return len(s)


def trim_trailing_spaces(line: str) -> str:
    """git's trim_trailing_spaces: unescaped trailing spaces go."""
    last_space = None
    i = 0
    while i < len(line):
        c = line[i]
        if c == " ":
            if last_space is None:
                last_space = i
        elif c == "\\":
            i += 1
            if i >= len(line):
                return line
            last_space = None
        else:
            last_space = None
        i += 1
    return line[:last_space] if last_space is not None else line


class Pattern:
    """One line of a pattern file (git's struct path_pattern)."""

    __slots__ = ("text", "negative", "dir_only", "basename_only", "endswith", "prefix", "line", "needle")

    def __init__(self, raw: str, line: int = 0):
        raw = as_bytes(raw)
        self.line = line
        self.negative = raw.startswith("!")
        p = raw[1:] if self.negative else raw
        self.dir_only = p.endswith("/")
        if self.dir_only:
            p = p[:-1]
        self.basename_only = "/" not in p
        self.prefix = min(_simple_length(p), len(p))
        self.endswith = p.startswith("*") and _simple_length(p[1:]) == len(p) - 1
        self.text = p
        # The longest run of plain characters, which any name it matches
        # holds as it is; none when a class, an escape or `**` (which may
        # match nothing, `/` included) could make a run match otherwise.
        plain = not any(c in p for c in "[\\") and "**" not in p
        self.needle = max(p.lstrip("/").replace("?", "*").split("*"), key=len) if plain else ""

    def matches(self, rel: str, basename: str, is_dir: bool) -> bool:
        if self.dir_only and not is_dir:
            return False
        p = self.text
        if self.needle and self.needle not in (basename if self.basename_only else rel):
            return False
        if self.basename_only:
            if self.prefix == len(p):
                return basename == p
            if self.endswith:
                return basename.endswith(p[1:])
            return wildmatch(p, basename, False)
        return _match_pathname(rel, p, self.prefix)


def _match_pathname(name: str, pattern: str, prefix: int) -> bool:
    if pattern.startswith("/"):
        pattern = pattern[1:]
        prefix -= 1
    if prefix:
        if prefix > len(name) or name[:prefix] != pattern[:prefix]:
            return False
        if len(pattern) == prefix and len(name) == prefix:
            return True
        prefix -= 1          # keep one character so fnmatch sees component starts
        pattern, name = pattern[prefix:], name[prefix:]
    return wildmatch(pattern, name, True)


def read_lines(data: bytes) -> list:
    """(line number, pattern text) for the pattern lines of a file, as git
    reads them: a UTF-8 BOM skipped, blank lines and `#` comments left out,
    CRLF endings and unescaped trailing spaces removed."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    text = data.decode("utf-8", "surrogateescape")
    out = []
    for number, line in enumerate(text.split("\n"), 1):
        if line.endswith("\r"):
            line = line[:-1]
        if not line or line.startswith("#"):
            continue
        out.append((number, trim_trailing_spaces(line)))
    return out


class PatternList:
    """The patterns of one file (or one list of exclude patterns), anchored
    at a folder: the last one that matches decides.

    The commonest kinds are found by lookup instead of a match of each
    pattern in turn: literal basenames (`Makefile`, `core`) by name,
    `*.ext` by the name's extension, other `*suffix` by a scan of the
    suffixes; only the rest (wildcards elsewhere, slashes) are matched, and
    only those after the last pattern found so (a real tree: 284
    `.gitignore` files, 63 patterns tried for each path)."""

    def __init__(self, lines: list):
        self.patterns = [Pattern(p, n) for n, p in ((ln if isinstance(ln, tuple) else (0, ln)) for ln in lines)]
        self.patterns = [p for p in self.patterns if p.text or not p.basename_only]
        self.literal: dict = {}      # basename -> indices of the patterns naming it, in order
        self.by_ext: dict = {}       # ".o" -> indices of the `*.o` patterns, in order
        self.suffixes: list = []     # (suffix, index) of the other `*suffix` patterns
        self.others: list = []       # (index, Pattern) of the rest
        for i, p in enumerate(self.patterns):
            if p.basename_only and p.prefix == len(p.text):
                self.literal.setdefault(p.text, []).append(i)
            elif p.basename_only and p.endswith:
                suffix = p.text[1:]
                if suffix.startswith(".") and "." not in suffix[1:]:
                    self.by_ext.setdefault(suffix, []).append(i)
                else:
                    self.suffixes.append((suffix, i))
            else:
                self.others.append((i, p))

    def verdict(self, rel: str, is_dir: bool, basename_only: bool = False) -> Optional[bool]:
        """True: ignored; False: re-included by a `!` pattern; None: no
        pattern matches.  ``rel`` is relative to the patterns' folder;
        ``basename_only`` consults only the patterns without a slash."""
        rel = as_bytes(rel) if not rel.isascii() else rel
        basename = rel.rsplit("/", 1)[-1]
        patterns = self.patterns
        best = -1
        for i in reversed(self.literal.get(basename, ())):
            if is_dir or not patterns[i].dir_only:
                best = i
                break
        dot = basename.rfind(".")
        if dot >= 0 and self.by_ext:
            for i in reversed(self.by_ext.get(basename[dot:], ())):
                if i <= best:
                    break
                if is_dir or not patterns[i].dir_only:
                    best = i
                    break
        for suffix, i in self.suffixes:
            if i > best and basename.endswith(suffix) and (is_dir or not patterns[i].dir_only):
                best = i
        for i, p in reversed(self.others):
            if i <= best:
                break
            if (p.basename_only or not basename_only) and p.matches(rel, basename, is_dir):
                best = i
                break
        return None if best < 0 else not patterns[best].negative
        for p in reversed(self.patterns):
            if (p.basename_only or not basename_only) and p.matches(rel, basename, is_dir):
                return not p.negative
        return None
