"""Conditionals the tool can decide: `#if 0`, `#if 1`, and names the user
defines or undefines (`--define NAME[=VALUE]`, `--undefine NAME`).

:func:`blank` returns the source with every decided directive line and
every dead branch replaced by spaces (newlines kept, so every byte offset
and line number stays), and the spans of the groups it touched.  The
parse and the analysis read the blanked text; the edits apply to the
original, where they fall on the same bytes.  A conditional whose value
depends on anything else (`#ifdef HAVE_SETSID` with no `--define`) is left
as it is, and a child region it splits stays for review.
"""
from __future__ import annotations

import re
from typing import NamedTuple, Optional

# A conditional directive: group 1 its name, group 2 the rest of the line.
DIRECTIVE = re.compile(rb"[ \t]*#[ \t]*(if|ifdef|ifndef|elif|else|endif)\b(.*)$")
_DEFINE = re.compile(rb"[ \t]*#[ \t]*(define|undef)[ \t]+([A-Za-z_]\w*)(\(?)(.*)$")


class Config(NamedTuple):
    """What the user says the build defines: name -> value text ("1" for a
    bare --define), and the names it leaves undefined."""

    defines: dict = {}
    undefines: frozenset = frozenset()

    def known(self, name: str) -> bool:
        return name in self.defines or name in self.undefines

    @classmethod
    def of(cls, options) -> "Config":
        """The configuration an analysis' options give (--define, --undefine, the compile command)."""
        return cls(dict(options.defines), frozenset(options.undefines))


class Blanked(NamedTuple):
    text: bytes
    groups: list        # (start, end) byte spans of the #if ... #endif groups decided in part or whole
    configured: list = []   # (start, end, directive line) of those decided only by the configuration


_DIRECTIVE_LINE = re.compile(rb"(?m)^[ \t]*#[ \t]*(?:if|ifdef|ifndef|elif|else|endif|define|undef)\b")
_NOT_NEWLINE = re.compile(rb"[^\r\n]")


def directive_lines(source: bytes):
    """(start, end) of each conditional, `#define` and `#undef` line (with
    its backslash-continued lines; end before the newline).  Found by one
    search, so the code between them costs nothing."""
    last = 0
    for m in _DIRECTIVE_LINE.finditer(source):
        start = m.start()
        if start < last or source[max(0, start - 3):start].rstrip(b"\r\n").endswith(b"\\"):
            continue             # inside an earlier line's continuation
        end = source.find(b"\n", start)
        end = len(source) if end < 0 else end
        while end < len(source) and (source[end - 1:end] == b"\\" or source[end - 2:end] == b"\\\r"):
            nxt = source.find(b"\n", end + 1)
            end = len(source) if nxt < 0 else nxt
        last = end
        yield start, end


def strip_comments(s: bytes) -> bytes:
    """A directive's text without comments and line continuations."""
    s = re.sub(rb"/\*.*?\*/", b" ", s, flags=re.S)
    return re.sub(rb"//.*", b"", s).replace(b"\\\n", b" ").replace(b"\\\r\n", b" ")


def evaluate(expr: bytes, config: Config) -> Optional[int]:
    """The value of an `#if` expression, or None when it depends on
    something the configuration does not say."""
    tokens = re.findall(rb"defined|[A-Za-z_]\w*|0[xX][0-9a-fA-F]+[uUlL]*|\d+[uUlL]*|&&|\|\||==|!=|<=|>=|[()!<>+\-*]",
                        strip_comments(expr))
    if not tokens:
        return None
    parser = _Parser([t.decode() for t in tokens], config)
    try:
        value = parser.expr()
    except _Undecided:
        return None
    return value if parser.pos == len(parser.tokens) else None


class _Undecided(Exception):
    pass


def _integer(digits: str) -> int:
    """A C integer constant: hexadecimal, octal (a leading 0) or decimal."""
    if digits[:2] in ("0x", "0X"):
        return int(digits[2:], 16)
    if digits[0] == "0":
        if any(c in "89" for c in digits):
            raise _Undecided()      # `08` is not C
        return int(digits, 8)
    return int(digits)


class _Parser:
    """Recursive descent over the usual #if operators; unknown names are undecided."""

    def __init__(self, tokens: list, config: Config):
        self.tokens, self.pos, self.config = tokens, 0, config
        self._lenient = False     # inside an operand a short circuit makes irrelevant

    def peek(self) -> Optional[str]:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def take(self) -> str:
        if self.pos >= len(self.tokens):
            raise _Undecided()
        self.pos += 1
        return self.tokens[self.pos - 1]

    def expr(self) -> int:
        return self.binary(0)

    LEVELS = (("||",), ("&&",), ("==", "!="), ("<", ">", "<=", ">="), ("+", "-"), ("*",))

    def binary(self, level: int) -> int:
        if level == len(self.LEVELS):
            return self.unary()
        left = self.binary(level + 1)
        while self.peek() in self.LEVELS[level]:
            op = self.take()
            if op == "&&" and left == 0:
                self._skip(level + 1)
                left = 0
                continue
            if op == "||" and left != 0:
                self._skip(level + 1)
                left = 1
                continue
            right = self.binary(level + 1)
            left = {"||": lambda: int(bool(left or right)), "&&": lambda: int(bool(left and right)),
                    "==": lambda: int(left == right), "!=": lambda: int(left != right),
                    "<": lambda: int(left < right), ">": lambda: int(left > right),
                    "<=": lambda: int(left <= right), ">=": lambda: int(left >= right),
                    "+": lambda: left + right, "-": lambda: left - right, "*": lambda: left * right}[op]()
        return left

    def _skip(self, level: int) -> None:
        """Parse the operand a short circuit makes irrelevant (`0 && X`: X need not be known)."""
        saved = self.config
        try:
            self.config = Config({}, frozenset())
            self._lenient = True
            try:
                self.binary(level)
            except _Undecided:
                pass
        finally:
            self.config = saved
            self._lenient = False

    def unary(self) -> int:
        tok = self.take()
        if tok == "!":
            return int(not self.unary())
        if tok == "-":
            return -self.unary()
        if tok == "(":
            value = self.expr()
            if self.take() != ")":
                raise _Undecided()
            return value
        if tok == "defined":
            paren = self.peek() == "("
            if paren:
                self.take()
            name = self.take()
            if paren and self.take() != ")":
                raise _Undecided()
            return self._defined(name)
        if re.match(r"^(0[xX][0-9a-fA-F]+|\d+)[uUlL]*$", tok):
            return _integer(tok.rstrip("uUlL"))
        if re.match(r"^[A-Za-z_]\w*$", tok):
            if tok in self.config.defines:
                value = evaluate(self.config.defines[tok].encode(), Config({}, frozenset()))
                if value is None:
                    raise _Undecided()
                return value
            if tok in self.config.undefines:
                return 0
            if self._lenient:
                return 0
            raise _Undecided()
        raise _Undecided()

    def _defined(self, name: str) -> int:
        if name in self.config.defines:
            return 1
        if name in self.config.undefines or self._lenient:
            return 0
        raise _Undecided()


def blank(source: bytes, config: Config = Config()) -> Optional[Blanked]:
    """The source with decided conditionals blanked, or None when there is
    nothing to decide or the conditionals do not balance."""
    if b"#" not in source:
        return None
    out = bytearray(source)
    groups: list = []
    stack: list = []     # per open group: [state ("live", "dead", "open"), a branch was taken, start, decided]
    configured: list = []    # (group start, directive) decided by the configuration, not by constants
    spans: list = []
    changed = False

    def live() -> bool:
        return all(e[0] != "dead" for e in stack)

    def wipe(a: int, b: int) -> None:
        nonlocal changed
        if a < b:
            out[a:b] = _NOT_NEWLINE.sub(b" ", bytes(out[a:b]))
            changed = True

    # The file's own `#define NAME VALUE` / `#undef NAME` decide later `#if`s
    # as the preprocessor would, within the group they are in; after an
    # undecided group ends, what it changed is unknown.
    scopes = [(dict(config.defines), set(config.undefines))]
    own: set = set()         # names the file's own #define/#undef lines set

    def the_files() -> Config:
        """What the file alone says: a group it decides is not "decided by the configuration"."""
        c = current()
        return Config({n: v for n, v in c.defines.items() if n in own}, frozenset(c.undefines & own))

    def current() -> Config:
        defines, undefines = scopes[-1]
        return Config(dict(defines), frozenset(undefines))

    def enter() -> None:
        defines, undefines = scopes[-1]
        scopes.append((dict(defines), set(undefines)))

    def restart() -> None:                       # #else / #elif: back to the state the group began with
        scopes[-1] = (dict(scopes[-2][0]), set(scopes[-2][1]))

    def leave(decided_live: bool) -> None:
        inner_d, inner_u = scopes.pop()
        outer_d, outer_u = scopes[-1]
        if decided_live:
            scopes[-1] = (inner_d, inner_u)
            return
        for name in set(inner_d.items()) ^ set(outer_d.items()):
            outer_d.pop(name[0], None)
            outer_u.discard(name[0])
        for name in inner_u ^ outer_u:
            outer_d.pop(name, None)
            outer_u.discard(name)

    pos = 0
    for start, end in directive_lines(source):
        if not live():
            wipe(pos, start)              # the code lines of a dead branch
        pos = end
        m = DIRECTIVE.match(source, start, end)
        if m is None:
            if not live():
                wipe(start, end)
                continue
            d = _DEFINE.match(source, start, end)
            if d is not None:
                name = d.group(2).decode()
                defines, undefines = scopes[-1]
                defines.pop(name, None)
                undefines.discard(name)
                own.add(name)
                if d.group(1) == b"undef":
                    undefines.add(name)
                elif not d.group(3):          # a function-like macro leaves `#if NAME(...)` undecided
                    defines[name] = strip_comments(d.group(4)).strip().decode("utf-8", "replace") or "1"
            continue
        config = current()
        kind, rest = m.group(1).decode(), m.group(2)
        if kind in ("if", "ifdef", "ifndef"):
            enter()
            if not live():
                stack.append(["dead", True, start, True])        # nested in a dead branch: gone with it
                wipe(start, end)
                continue
            value = _condition(kind, rest, config)
            if value is None:
                stack.append(["open", False, start, False])
            else:
                stack.append(["live" if value else "dead", bool(value), start, True])
                if _condition(kind, rest, the_files()) is None:
                    configured.append((start, source[start:end].decode("utf-8", "replace").strip()))
                wipe(start, end)
            continue
        if not stack:
            return None                                            # an #else or #endif without its #if
        entry = stack[-1]
        outer_live = all(e[0] != "dead" for e in stack[:-1])
        if kind == "endif":
            stack.pop()
            leave(entry[3] and entry[0] == "live")
            if entry[3]:
                wipe(start, end)
                if outer_live:
                    groups.append((entry[2], end))
                    spans.extend((a, end, line) for a, line in configured if a == entry[2])
            continue
        restart()
        if not outer_live:
            wipe(start, end)
            continue
        if not entry[3]:
            continue                                               # an undecided group stays as written
        if kind == "else":
            entry[0], entry[1] = ("dead" if entry[1] else "live"), True
            wipe(start, end)
            continue
        value = 0 if entry[1] else evaluate(rest, config)         # elif
        if value is not None and not entry[1] and evaluate(rest, the_files()) is None:
            configured.append((entry[2], source[start:end].decode("utf-8", "replace").strip()))
        if value is None:
            # Every branch before was dead: from here the group reads as `#if X`.
            entry[0], entry[3] = "open", False
            at = m.start(1)
            out[at:at + 4] = b"if  "
            changed = True
            continue
        entry[0], entry[1] = ("live" if value else "dead"), entry[1] or bool(value)
        wipe(start, end)
    if stack or not changed:
        return None
    return Blanked(bytes(out), groups, spans)


def _condition(kind: str, rest: bytes, config: Config) -> Optional[int]:
    if kind == "if":
        return evaluate(rest, config)
    name = strip_comments(rest).strip().decode("utf-8", "replace")
    if not re.match(r"^[A-Za-z_]\w*$", name) or not config.known(name):
        return None
    defined = name in config.defines
    return int(defined if kind == "ifdef" else not defined)
