"""Build the project index of one run, in rounds (see codemod.engines.c.project.knowledge).

1. The files that mention vfork have been analysed alone.  Their
   definitions of wrappers (macros calling vfork, functions returning its
   result) and redirects (`#define fork vfork`) are read, and so are the
   names their analyses asked about and the C library lacks.
2. Each round searches the walked tree (and ``--include-dir``) for the
   names not yet searched, in one pass of the fast filter, parses each
   file it reports once, and keeps the definitions of the wanted names.
   The names a learned definition calls (and the macros around a
   declaration, for noreturn) are wanted next, up to MAX_DEPTH rounds.
   Files calling a wrapper, and files a redirect reaches, join the run.
3. The files whose questions got answers, and the new ones, are analysed
   again with the index; what their calls through wrappers were judged is
   then handed to the files defining those wrappers, analysed last.
"""
from __future__ import annotations

import dataclasses
import functools
import os
import re
from typing import Optional

from codemod.core.model import MACRO_BODY, RETURNS, Skip
from codemod.engines.c.frontend import cost, preproc
from codemod.engines.c.project import libc
from codemod.engines.c.project.knowledge import (
    FileFacts, Knowledge, Redirect, Wrapper, blank_literals, facts,
)

MAX_DEPTH = 6             # rounds of "what a learned definition calls"
MAX_NAMES = 5_000         # names the index looks up in one run
MAX_FILES = 3_000         # files the index parses in one run
_KEYWORDS = frozenset("""auto break case char const continue default do double else enum extern float for goto if
inline int long register restrict return short signed sizeof static struct switch typedef union unsigned void
volatile while _Bool _Complex _Noreturn defined __attribute__ __typeof__ typeof __extension__ asm __asm__
NULL""".split())
_CALLED = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)\s*\(")


class _Index:
    def __init__(self, tree, run):
        self.tree = tree
        self.run = run
        self.facts: dict = {}           # path on disk -> FileFacts
        self.searched: set = set()
        self.analysed: set = set()      # paths on disk of the files the run analyses
        self._headers: Optional[dict] = None   # file name -> [(path, shown)] of the tree's headers
        self.knowledge = Knowledge()
        self.candidates = None          # _Candidates, False when over budget, None before the search
        self._config = preproc.Config(dict(run.defines), frozenset(run.undefines))

    def facts_of(self, path: str, wanted: tuple = ()) -> FileFacts:
        """What ``path`` defines, parsed once per run; a file too big to
        parse whole within --max-parse-memory is parsed only around the
        ``wanted`` names, each time it is asked about."""
        found = self.facts.get(path)
        if found is not None:
            return found
        display = self.tree.display(path)
        self.knowledge.read.add(path)
        try:
            with open(path, "rb") as fh:
                source = fh.read()
        except OSError as exc:
            return self._unread(path, display, f"cannot read it: {exc.strerror or exc}")
        ranges = cost.c_ranges(source, self.run.max_parse_memory, tuple(w.encode() for w in wanted))
        self.tree.reads += 1
        # What `#if 0` and the run's -D/-U leave out is no definition of
        # this build (busybox's second bb_verror_msg, under #ifdef
        # VERSION_WITH_WRITEV); offsets and lines stay.
        blanked = preproc.blank(source, self._config)
        if blanked is not None:
            source = blanked.text
        if isinstance(ranges, Skip):
            return FileFacts(display, {}, {}, unread=str(ranges))
        from codemod.output import progress
        try:
            with progress.busy(display, counted=False):
                found = facts(source, display, ranges)
        except RecursionError:
            return self._unread(path, display, "nesting too deep to read")
        except Exception as exc:  # noqa: BLE001 - one bad file must not stop the run
            return self._unread(path, display, f"internal error: {type(exc).__name__}: {exc}")
        if ranges is None:
            self.facts[path] = found
        self.knowledge.globals.setdefault(found.path, {}).update(found.globals)
        return found

    def _unread(self, path: str, display: str, why: str) -> FileFacts:
        # Reported as an error of the run: a wrapper or `#define fork vfork`
        # in this file goes unseen, and the sites it makes with it.
        self.tree.problems.append((display, f"project index: {why}; what it defines is not known to the run"))
        self.facts[path] = FileFacts(display, {}, {}, unread=why)
        return self.facts[path]

    def visible(self, path: str) -> frozenset:
        """The headers of the tree ``path`` includes, directly or through
        other headers (`#include "name.h"` matched by file name), kept in
        the knowledge: a header macro the file cannot see is not its own."""
        display = self.tree.display(path)
        found = self.knowledge.visible.get(display)
        if found is not None:
            return found
        if self._headers is None:
            self._headers = {}
            for p, shown in list(self.tree.files.items()) + list(self.tree.included().items()):
                if p.endswith(".h"):
                    self._headers.setdefault(os.path.basename(p), []).append((p, shown))
        seen: dict = {}
        frontier = [path]
        closed = True
        while frontier:
            try:
                with open(frontier.pop(), "rb") as fh:
                    data = fh.read()
            except OSError:
                closed = False
                continue
            # `#include <name.h>` may mean a header of the tree (an -I
            # folder: a libc's or a kernel's own), followed like the rest;
            # one the tree lacks is the system's.  A quoted include the tree
            # lacks (a generated header) or a computed one may mean anything.
            for quoted, name in [(True, n) for n in _INCLUDE.findall(data)] + \
                    [(False, n) for n in _SYSTEM_INCLUDE.findall(data)]:
                found_here = self._headers.get(os.path.basename(name.decode("utf-8", "replace")), ())
                closed = closed and (bool(found_here) or not quoted)
                for p, shown in found_here:
                    if shown not in seen:
                        seen[shown] = True
                        frontier.append(p)
            closed = closed and not _COMPUTED_INCLUDE.search(data)
        found = self.knowledge.visible[display] = frozenset(seen)
        if closed:
            self.knowledge.closed.add(display)
        return found

    def may_define(self, path: str, wanted: set) -> set:
        """The ``wanted`` names ``path`` may define or declare, read from its
        text before any parse: `#define NAME`, or `NAME(` on a line that
        starts in column 0 with a word (a top-level definition or
        declaration: `int name(void)`, GNU style `name (void)` after the
        type line).  Calls are indented, so most files that only call a
        helper are never parsed.  A definition written otherwise is missed,
        and the child calling it stays review."""
        if path in self.facts:
            return wanted & self.facts[path].definitions.keys()
        try:
            with open(path, "rb") as fh:
                data = fh.read()
        except OSError:
            return set()
        # A macro of a .c file is seen only in that file: it counts when the
        # file is one the run analyses.
        own = path.endswith(".h") or path in self.analysed
        return {name for name in wanted if _may_define(data, name.encode(), own)}

    def _may_define_all(self, wanted: set) -> list:
        """[(path, the ``wanted`` names it may define)] in walk order, as
        :meth:`may_define` decides over :meth:`Tree.search_words`' files;
        from the one search for definition-shaped lines when it was made
        within its budget (see :class:`_Candidates`)."""
        if self.candidates is None:
            self.candidates = _Candidates.search(self.tree) or False
        if self.candidates is False:
            return [(path, names) for path, mentioned in self.tree.search_words(wanted)
                    for names in [self.may_define(path, wanted & mentioned)] if names]
        self.tree.searches += 1
        found: dict = {}
        for name in wanted:
            for path in self.candidates.calls.get(name, ()):
                found.setdefault(path, set()).add(name)
            for path in self.candidates.macros.get(name, ()):
                if path.endswith(".h") or path in self.analysed:
                    found.setdefault(path, set()).add(name)
        for path, f in self.facts.items():
            known = wanted & f.definitions.keys()
            if known or path in found:
                found[path] = known            # parsed already: what it really defines
        order = self.candidates.order
        return [(p, found[p]) for p in sorted((p for p in found if found[p] and p in order), key=order.get)]

    def learn_names(self, names: set, follow: bool = True) -> set:
        """Search for ``names`` (with ``follow``, what their definitions
        call too, to MAX_DEPTH levels); returns the names that gained
        definitions.  Without it only ``names`` are looked up: the analyses
        ask for what a helper calls when they read the helper."""
        from codemod.output import progress
        progress.stage("learning the project")
        gained: set = set()
        beyond = self.knowledge.beyond
        wanted = {n for n in names if _askable(n)} - self.searched
        for _ in range(MAX_DEPTH if follow else 1):
            if not wanted:
                break
            room = MAX_NAMES - len(self.searched)
            if len(wanted) > room:
                for n in sorted(wanted)[max(room, 0):]:
                    beyond.setdefault(n, f"the project index looks up at most {MAX_NAMES:,} names in a run "
                                         "(its budget of names)")
                wanted = set(sorted(wanted)[:max(room, 0)])
                if not wanted:
                    break
            self.searched |= wanted
            self.knowledge.searched |= wanted
            following: set = set()
            for path, names in self._may_define_all(wanted):
                if not names:
                    continue
                if path not in self.facts and self.tree.reads >= MAX_FILES:
                    for n in names:
                        beyond.setdefault(n, f"it may be defined in {self.tree.display(path)}, but the project "
                                             f"index parses at most {MAX_FILES:,} files in a run (its budget "
                                             "of files)")
                    continue
                f = self.facts_of(path, tuple(names))
                if f.unread:
                    for n in names - f.definitions.keys():
                        beyond.setdefault(n, f"it may be defined in {f.path}, which the project index did not "
                                             f"read: {f.unread}")
                for name in names & f.definitions.keys():
                    defs = self.knowledge.definitions.setdefault(name, [])
                    for d in f.definitions[name]:
                        if d not in defs:
                            defs.append(d)
                            gained.add(name)
                            following |= _next_names(d)
            wanted = {n for n in following if _askable(n)} - self.searched
        if follow:
            self.too_deep(wanted)
        return gained

    def too_deep(self, names: set) -> None:
        """``names`` are called through MAX_DEPTH levels of learned helpers:
        the index does not look them up (its depth budget)."""
        for n in {n for n in names if _askable(n)} - self.searched:
            self.knowledge.beyond.setdefault(n, f"it is called through {MAX_DEPTH} levels of project helpers; "
                                                f"the project index follows at most {MAX_DEPTH} (its depth budget)")


_INCLUDE = re.compile(rb'(?m)^[ \t]*#[ \t]*include[ \t]*"([^"\n]+)"')
_SYSTEM_INCLUDE = re.compile(rb'(?m)^[ \t]*#[ \t]*include[ \t]*<([^>\n]+)>')
_COMPUTED_INCLUDE = re.compile(rb'(?m)^[ \t]*#[ \t]*include[ \t]*[A-Za-z_]')
_WORD_BYTES = frozenset(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")
_DEFINE = re.compile(rb"[ \t]*#[ \t]*define[ \t]+$")


def _may_define(data: bytes, name: bytes, macros: bool) -> bool:
    """``name`` occurs in ``data`` as `name(` on a line starting with a word
    in column 0, or (``macros``) right after `#define`."""
    pos = data.find(name)
    while pos >= 0:
        end = pos + len(name)
        if (pos == 0 or data[pos - 1] not in _WORD_BYTES) and (end == len(data) or data[end] not in _WORD_BYTES):
            start = data.rfind(b"\n", 0, pos) + 1
            if macros and _DEFINE.match(data, start, pos):
                return True
            rest = data[end:end + 64].lstrip(b" \t")
            if rest[:1] == b"(" and data[start:start + 1] in _LINE_STARTS \
                    and not _LABEL.search(data, start, pos):
                return True
        pos = data.find(name, end)
    return False


class _Candidates:
    """Which files may define which names, from one search of the tree for
    definition-shaped lines (a line starting in column 0 with a word and
    holding `name(`, or a `#define name` line), instead of a search of
    every file for the names of each round and a read of each file found:
    on gdb's tree that was 6 greps and 7,000 reads for one run.  Decides
    exactly as :func:`_may_define` (the test compares them)."""

    BUDGET = 256 << 20         # bytes of such lines; past it, the rounds search as before
    ERE = "^([A-Za-z_[](.*[A-Za-z0-9_])?[ \t]*\\(|[ \t]*#[ \t]*define[ \t])".replace("\\t", "\t")
    LINE = re.compile(rb"(?m)^(?:[A-Za-z_\[](?:[^\n]*[A-Za-z0-9_])?[ \t]*\(|[ \t]*#[ \t]*define[ \t])[^\n]*")

    def __init__(self, calls: dict, macros: dict, order: dict):
        self.calls = calls          # name -> [path] where `name(` follows a column-0 word on its line
        self.macros = macros        # name -> [path] with `#define name`
        self.order = order          # path -> place in walk order

    @classmethod
    def search(cls, tree) -> "Optional[_Candidates]":
        lines = tree.lines(cls.ERE, cls.LINE, cls.BUDGET)
        if lines is None:
            return None
        calls: dict = {}
        macros: dict = {}
        for path, text in lines:
            m = _DEFINED.match(text)
            if m is not None:
                _add(macros, m.group(1).decode("ascii"), path)
            if text[:1] not in _LINE_STARTS:
                continue
            for m in _CALL_SHAPED.finditer(text):
                if not _LABEL.search(text, 0, m.start()):
                    _add(calls, m.group(1).decode("ascii"), path)
        order = {p: i for i, p in enumerate(list(tree.files) + list(tree.included()))}
        return cls(calls, macros, order)


def definable_names(data: bytes) -> set:
    """The names ``data`` may define as the index reads it: `#define name`
    lines, and `name(` on a line starting in column 0 with a word (calls
    are indented, or follow a label)."""
    out = set()
    for m in _Candidates.LINE.finditer(data):
        text = m.group(0)
        d = _DEFINED.match(text)
        if d is not None:
            out.add(d.group(1))
        if text[:1] in _LINE_STARTS:
            out.update(c.group(1) for c in _CALL_SHAPED.finditer(text) if not _LABEL.search(text, 0, c.start()))
    return out


def _add(table: dict, name: str, path: str) -> None:
    paths = table.setdefault(name, [])
    if not paths or paths[-1] != path:
        paths.append(path)


_DEFINED = re.compile(rb"[ \t]*#[ \t]*define[ \t]+([A-Za-z_][A-Za-z0-9_]*)")
# A whole word then `(` within the 64 bytes _may_define looks at.
_CALL_SHAPED = re.compile(rb"(?<![A-Za-z0-9_])([A-Za-z_][A-Za-z0-9_]*)[ \t]{0,63}\(")

# A label before the name (`err:\tmsgq(sp, ...)`, `case 1: f(x)`): a call in
# a body, never a definition (`[[gnu::noreturn]]` has a double colon).
_LABEL = re.compile(rb"(?<!:):(?!:)")
_LINE_STARTS = frozenset(bytes([b]) for b in _WORD_BYTES if not 48 <= b <= 57) | {b"["}   # `[[noreturn]]`


@functools.lru_cache(maxsize=32)
def _names_pattern(names: frozenset, after: bytes) -> "re.Pattern":
    """One of ``names`` as a whole word (group 1), then ``after``."""
    alternatives = b"|".join(re.escape(n.encode()) for n in sorted(names, key=len, reverse=True))
    return re.compile(rb"(?<![A-Za-z0-9_])(" + alternatives + rb")" + after)


def _call_pattern(names: frozenset) -> "re.Pattern":
    return _names_pattern(names, rb"[ \t]*\(")


def _askable(name: str) -> bool:
    return bool(name) and name not in _KEYWORDS and libc.lookup(name) is None


def _next_names(d) -> set:
    if d.kind == "function":
        body = d.text[d.text.find("{"):] if "{" in d.text else ""
        return set(_CALLED.findall(blank_literals(body)))
    if d.kind == "macro":
        body = d.text.strip()
        called = set(_CALLED.findall(blank_literals(body)))
        return called | ({body} if body.isidentifier() else set())
    # Around a declaration, only words spelled like attribute macros
    # (`NORETURN`, `__dead`, `ATTRIBUTE_NORETURN`) are followed.
    return {w for w in d.words if w != d.name and len(w) > 2 and (w.startswith("_") or w.isupper())}


def learn(tree, results: list, run, analyse) -> tuple:
    """(the results of the run with what the index changed, the Knowledge).  ``analyse(files,
    options)`` analyses [(path on disk, path shown)] and returns their results."""
    index = _Index(tree, run)
    k = index.knowledge
    if not any(r.language == "c" and (r.asks or _may_wrap(r)) for r in results):
        return results, k             # nothing to ask the tree: it is not even listed
    by_display = {display: path for path, display in tree.files.items()}
    current = {r.path: r for r in results}
    c_paths = [r.path for r in results if r.language == "c" and r.path in by_display]
    if not c_paths:
        return results, k
    index.analysed = {by_display[d] for d in c_paths}
    for display in c_paths:
        if _may_wrap(current[display]):
            _discover(index, index.facts_of(by_display[display], ("vfork",)), current[display])
    site_files = _wrapper_callers(index)
    index.learn_names(set().union(*(_next_names(w.definition) for w in k.wrappers.values())))
    _reach_redirects(index)
    redo: set = set(site_files)
    for r in k.redirects:
        redo |= {by_display.get(p) for p in r.files} - {None}
    index.analysed |= redo
    asked = {d: current[d].asks for d in c_paths}
    # One level of helpers a round: an analysis asks for what a helper
    # calls only when it reads the helper (gdb's tree: 541 files parsed
    # when every name a learned helper calls was followed, for 56 asked).
    for level in range(MAX_DEPTH + 1):
        pending = set().union(*asked.values()) if asked else set()
        before = set(k.beyond)
        if level < MAX_DEPTH:
            gained = index.learn_names(pending, follow=False)
        else:
            index.too_deep(pending)
            gained = set()
        # A name a budget kept from being looked up changes its reason too.
        gained |= set(k.beyond) - before
        redo |= {by_display[d] for d, names in asked.items() if names & gained}
        redo -= {None}
        if not redo:
            break
        for p in redo:
            index.visible(p)
        options = _options(run, k)
        k.summaries.clear()          # summaries made before this round's definitions
        files = [(p, tree.display(p)) for p in sorted(redo, key=_order(tree))]
        asked = {}
        for r in analyse(files, options):
            before = current.get(r.path)
            current[r.path] = r
            new_asks = r.asks - (before.asks if before is not None else frozenset())
            if new_asks - index.searched:
                asked[r.path] = r.asks
        redo = set()
        if not asked:
            break
    # The definitions of wrappers and redirects, judged by their calls.
    for r in current.values():
        for key, note in r.site_notes:
            for name in _chain(k, key):
                k.sites.setdefault(name, []).append(note)
    defining = {by_display.get(w.definition.path) for w in k.wrappers.values() if w.name in k.sites} | \
        {by_display.get(r.definition.path) for r in k.redirects if r.definition.where in k.sites}
    defining -= {None}
    if defining:
        k.summaries.clear()
        for r in analyse([(p, tree.display(p)) for p in sorted(defining, key=_order(tree))], _options(run, k)):
            current[r.path] = r
    position = tree.position
    first = {r.path for r in results}
    out = sorted(current.values(), key=lambda r: position.get(r.path, len(position)))
    k.facts = {p: f for p, f in index.facts.items() if not f.unread}
    return [r for r in out if r.path in first or r.findings or r.error], k


def _options(run, k):
    needles = tuple(dict.fromkeys(list(k.wrappers) + [r.definition.name for r in k.redirects]))
    return dataclasses.replace(run, knowledge=k, extra_needles=needles)


def _order(tree):
    order = {p: i for i, p in enumerate(tree.files)}
    return lambda p: order.get(p, len(order))


def _chain(k: Knowledge, key: str) -> list:
    """``key`` and every wrapper it reaches vfork through."""
    out = [key]
    seen = {key}
    w = k.wrappers.get(key)
    while w is not None and w.via != "vfork" and w.via not in seen:
        out.append(w.via)
        seen.add(w.via)
        w = k.wrappers.get(w.via)
    return out


def _may_wrap(result) -> bool:
    """The file could define a wrapper or a redirect (a macro expanding to
    vfork, or a site whose child reaches a `return`): only then is it
    parsed for them."""
    return any(_hands_child_on(r) or (r.kind == "reference" and MACRO_BODY in r.tags)
               for f in result.findings for r in f.reasons)


def _hands_child_on(r) -> bool:
    """The reason says the child goes on to the function's `return`."""
    return r.kind == "result-returned" or (r.kind == "runs-in-both" and RETURNS in r.tags)


def _discover(index: _Index, f: FileFacts, result) -> None:
    """Wrappers and redirects defined in a file that mentions vfork."""
    k = index.knowledge
    for name, defs in f.definitions.items():
        for d in defs:
            if d.kind != "macro" or not d.calls_vfork():
                continue
            body = " ".join(d.text.split())
            if name == "fork" and body in ("vfork", "vfork()"):
                if all(r.definition != d for r in k.redirects):
                    k.redirects.append(Redirect(d))
            elif name != "vfork" and name not in k.wrappers:
                k.wrappers[name] = Wrapper(name, d)
    # A function whose child goes on to its `return` hands the child to its callers.
    for finding in result.findings:
        if finding.function and finding.function not in k.wrappers and any(
                _hands_child_on(r) for r in finding.reasons):
            d = next((d for d in f.definitions.get(finding.function, []) if d.kind == "function"), None)
            if d is not None:
                k.wrappers[finding.function] = Wrapper(finding.function, d)


def _wrapper_callers(index: _Index) -> set:
    """Files calling a wrapper (found in rounds: a macro defined in terms of
    a wrapper is a wrapper too, `XX()` around `XVFORK()`)."""
    k = index.knowledge
    callers: set = set()
    searched: set = set()
    for _ in range(MAX_DEPTH):
        names = set(k.wrappers) - searched
        if not names:
            break
        searched |= names
        for path in index.tree.search(names):
            try:
                with open(path, "rb") as fh:
                    data = fh.read()
            except OSError:
                continue
            matches = list(_call_pattern(frozenset(names)).finditer(data))
            if _declarator_only(data, matches, index.run):
                continue
            called = {m.group(1).decode() for m in matches}
            # A static wrapper function is called only from its own file.
            called = {n for n in called if not k.wrappers[n].definition.static
                      or index.tree.display(path) == k.wrappers[n].definition.path}
            if not called:
                continue
            callers.add(path)
            if not _defines_mentioning(data, frozenset(names | {"vfork"})):
                continue
            f = index.facts_of(path, tuple(names))
            for name, defs in f.definitions.items():
                for d in defs:
                    if name in k.wrappers or d.kind != "macro":
                        continue
                    via = next((w for w in names if d.calls_vfork([w]) and w != name), None)
                    if via is not None:
                        k.wrappers[name] = Wrapper(name, d, via)
    return callers


_DEFINE_LINE = re.compile(rb"#[ \t]*define(?:\\\r?\n|\\.|[^\n\\])*")


def _defines_mentioning(data: bytes, words: frozenset) -> bool:
    """Some `#define` line (continuation lines included) mentions one of
    ``words``: only then can the file define a macro in terms of them."""
    word = _names_pattern(words, rb"(?![A-Za-z0-9_])")
    return any(word.search(m.group(0)) for m in _DEFINE_LINE.finditer(data))


_FEW_MATCHES = 4       # a definition and a few prototypes; more are surely calls


def _declarator_only(data: bytes, matches: list, run) -> bool:
    """Every `name(` found is the name of a function defined or declared at
    file scope (`pid_t xvfork(void)`, its prototype): the file calls no
    wrapper and need not be analysed again.  Anything else (a call, a
    comment, a macro body, code tree-sitter could not parse) counts as a call."""
    if not matches or len(matches) > _FEW_MATCHES:
        return False
    for m in matches:
        # A file-scope declarator's line starts with a word in column 0
        # (`pid_t xvfork(void)`, `xvfork(void)` under its type line); an
        # indented one is inside a body or a continued line: no parse needed.
        start = data.rfind(b"\n", 0, m.start()) + 1
        if data[start:start + 1] not in _LINE_STARTS:
            return False
    if cost.c_ranges(data, run.max_parse_memory, ()) is not None:
        return False
    from codemod.engines.c.frontend.syntax import parse
    root = parse(data).root_node
    if root.has_error:
        return False
    for m in matches:
        node = root.descendant_for_byte_range(m.start(1), m.end(1))
        if node is None or node.type != "identifier" or node.start_byte != m.start(1):
            return False
        declarator = node.parent
        if declarator is None or declarator.type != "function_declarator" or \
                declarator.child_by_field_name("declarator") != node:
            return False
        top = declarator.parent
        while top is not None and top.type in ("pointer_declarator", "parenthesized_declarator",
                                               "attributed_declarator"):
            top = top.parent
        if top is None or top.type not in ("function_definition", "declaration"):
            return False
        scope = top.parent
        while scope is not None and scope.type in _FILE_SCOPE:
            scope = scope.parent
        if scope is not None:
            return False
    return True


_FILE_SCOPE = frozenset({"translation_unit", "preproc_if", "preproc_ifdef", "preproc_else", "preproc_elif",
                         "preproc_elifdef", "linkage_specification", "declaration_list"})


def _reach_redirects(index: _Index) -> None:
    """The files each redirect reaches: its own, and those including its
    header, directly or through other headers."""
    k = index.knowledge
    for i, r in enumerate(k.redirects):
        own = r.definition.path
        reached = [own]
        frontier = [own] if own.endswith(".h") else []
        while frontier:
            header = os.path.basename(frontier.pop())
            for path in index.tree.search([header]):
                f = index.facts_of(path, (header,))
                if f.path not in reached and any(os.path.basename(inc) == header for inc in f.includes):
                    reached.append(f.path)
                    if f.path.endswith(".h"):
                        frontier.append(f.path)
        k.redirects[i] = dataclasses.replace(r, files=tuple(reached))
