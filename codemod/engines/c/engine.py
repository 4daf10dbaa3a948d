"""Analyse one C file: every vfork reference gets a verdict and, where the
tool can prove it, a rewrite made of byte-range edits.

:class:`CFile` runs the stages: the front end prepares and parses the text
(codemod.engines.c.frontend.prepare), a :class:`codemod.engines.c.reading.Reading`
judges each site (the proof decides, a rewrite plug-in makes the finding),
and a site the preprocessor splits is judged once per configuration
(codemod.engines.c.configurations)."""
from __future__ import annotations

import functools
import re
from dataclasses import replace
from typing import Optional

from codemod.core import layout, limits
from codemod.core.edits import apply_edits
from codemod.core.model import MACRO_BODY, Finding, Verdict
from codemod.core.reasons import For
from codemod.engines.c import configurations
from codemod.engines.c.frontend import knr, preproc
from codemod.engines.c.frontend.partial import shifted
from codemod.engines.c.frontend.prepare import prepare
from codemod.engines.c.frontend.syntax import Node, captures, captures_near, enclosing, function_name, line, parse, reparse, text
from codemod.engines.c.proof import outcomes
from codemod.engines.c.proof.analysis import Options
from codemod.engines.c.reading import Reading
from codemod.engines.c.rewrite import definitions
from codemod.engines.c.rewrite.headers import EditRenderer, HeaderPlan, error_count, parses_as_cleanly, with_headers

R = For("c")


class CFile:
    """A parsed C file, its findings, and how to render a chosen set of them
    (a :class:`codemod.engines.base.Unit`)."""

    language = "c"
    compiled: Optional[bool] = None   # the rewrite was compiled with the project's flags (and passed)

    def __init__(self, source: bytes, path: str, options: Options = Options(), ranges: Optional[list] = None):
        """``ranges``: parse only these byte ranges (a file too big to parse
        whole, see codemod.engines.c.frontend.partial)."""
        self.source = source
        self.path = path
        self.options = replace(options, path=path, asked=set())
        self.ranges = ranges
        # Conditionals the configuration decides are blanked for the parse
        # (codemod.engines.c.frontend.preproc); offsets stay those of ``source``.
        ready = prepare(source, preproc.Config.of(self.options), ranges)
        self.blanked = ready.blanked
        self.reading = Reading(source, path, self.options, ready.parsed, ready.tree, ready.blanked, ranges,
                               moved=ready.moved)
        self.parsed, self.tree, self.root = ready.parsed, ready.tree, ready.tree.root_node
        self._rendered: Optional[tuple] = None    # (text, edits) of the last render()
        self.findings = self._analyse()

    @property
    def decisions(self) -> dict:
        """vfork token start -> (site, decision) of the file's own reading."""
        return self.reading.decisions

    @property
    def site_notes(self) -> list:
        """project.knowledge.SiteNote of the calls through wrappers, for the index."""
        return self.reading.site_notes

    @property
    def asks(self) -> frozenset:
        """Names the analysis looked up and the C library table lacks."""
        return frozenset(self.options.asked or ())

    # -- analysis ----------------------------------------------------------
    def _analyse(self) -> list:
        reading = self.reading
        calls, refs = reading.calls()
        self._check_depth(calls, refs)
        with outcomes.macros(reading.integer_macro):
            findings = [self._site_finding(key, tok) for key, tok in enumerate(calls)]
        for ref in refs:
            fn = _enclosing_function(ref.node)
            defined = definitions.finding(reading, len(findings), ref, fn)
            if defined is not None:
                findings.append(reading.placed(defined))
                continue
            findings.append(Finding(self.path, ref.line, ref.column, "c", Verdict.NOTE,
                                    f"{ref.what}: not a call, not rewritten",
                                    (R("reference", ref.line, code=_first_line(ref.node), what=ref.what,
                                       tags=frozenset({MACRO_BODY}) if ref.macro_body else frozenset()),), fn))
        findings.sort(key=lambda f: (f.line, f.column))
        return findings

    def _check_depth(self, calls: list, refs: list) -> None:
        """Every `vfork` in code was found: tree-sitter's queries do not see
        nodes nested deeper than 65,535 levels, which would lose a site."""
        found = {n.start_byte for n in calls} | {r.node.start_byte for r in refs}
        for m in re.finditer(rb"(?<![A-Za-z0-9_])vfork(?![A-Za-z0-9_])", self.source):
            node = self.root.descendant_for_byte_range(m.start(), m.end())
            if node is None or node.type != "identifier" or node.start_byte != m.start() \
                    or m.start() in found:
                continue
            raise limits.TooDeep(f"nesting too deep to analyse: the `vfork` at line {line(node)} is nested "
                                 "more than 65,535 levels deep, beyond what tree-sitter's queries reach")

    def _site_finding(self, key: int, tok: Node) -> Finding:
        finding = self.reading.judge(key, tok)
        if finding.verdict is Verdict.REVIEW and self.ranges is None \
                and any(r.kind in configurations.TRIGGERS for r in finding.reasons):
            return configurations.finding(self.reading, key, tok, finding) or finding
        return finding

    # -- render and verify ---------------------------------------------------
    def render(self, chosen: list) -> bytes:
        """The file with the chosen findings' edits and the headers they need."""
        edits = with_headers(chosen, self.headers)
        new = apply_edits(self.source, edits)
        self._rendered = (new, edits)
        return new

    def edits_of(self, new: bytes) -> Optional[list]:
        """The byte edits that made ``new``, when it is this file's last render()."""
        if self._rendered is not None and self._rendered[0] is new:
            return self._rendered[1]
        return None

    def verify(self, new: bytes) -> Optional[str]:
        """Why the rewritten text must not be written, or None."""
        problem = self._verify_parse(new)
        if problem is None and self.options.compile is not None:
            import os
            from codemod.files import compiledb
            problem = compiledb.check(self.options.compile, os.path.abspath(self.path), self.source, new)
            self.compiled = problem is None
            problem = problem or None
        return problem

    def _verify_parse(self, new: bytes) -> Optional[str]:
        edits = self.edits_of(new)
        if self.parsed is not self.source:
            return self._verify_blanked(new, edits)
        if self.ranges is not None and edits is None:
            return "the rewrite of a file parsed in parts cannot be checked"
        if edits is not None:
            # Incremental parsing is fast, but its error recovery can differ
            # from a fresh parse: it is trusted only to say "no errors".
            ranges = shifted(self.ranges, edits) if self.ranges is not None else None
            if not reparse(self.tree, self.source, new, edits, ranges).root_node.has_error:
                return None
        return parses_as_cleanly(new, self.ranges, edits, error_count(self.root))

    def _verify_blanked(self, new: bytes, edits: Optional[list]) -> Optional[str]:
        """The check when the parse read a prepared text (decided conditionals,
        K&R headers): no edit cuts through a decided `#if` group, and the
        rewrite, prepared the same way, parses as cleanly as the original did."""
        for e in edits or ():
            for a, b in (self.blanked.groups if self.blanked is not None else ()):
                if e.start < b and a < e.end and not (a <= e.start and e.end <= b) \
                        and not (e.start <= a and b <= e.end):
                    at = self.source.count(b"\n", 0, a) + 1
                    return f"an edit would cut through the `#if` group at line {at}"
        config = preproc.Config.of(self.options)
        again = preproc.blank(new, config)
        text_ = again.text if again is not None else new
        root = parse(text_).root_node
        if root.has_error:
            old_c = knr.normalise(text_, root)
            text_ = old_c.text if old_c is not None else text_
        return parses_as_cleanly(text_, self.ranges, edits, error_count(self.root))

    def renderer(self, options) -> EditRenderer:
        """The findings' edits render anywhere.  When the command renders
        single fixes, each is checked here, where a fast incremental parse
        of the original tree is at hand."""
        verified: frozenset = frozenset()
        if options.renders:
            verified = frozenset(f.fix.key for f in self.findings
                                 if f.fix is not None and not self.verify(self.render([f])))
        return EditRenderer(self.headers, self.ranges, error_count(self.root), verified)

    @functools.cached_property
    def headers(self) -> HeaderPlan:
        """Where the `#include` lines a rewrite needs go, and which are there already."""
        src = self.source
        target = self.reading.target
        present = frozenset(n.text.strip(b"<>\"").decode("latin-1") for n in captures_near(
            self.root, b"include", "includes", whole_lines=True).get("include.any", []))
        environ = bool(captures("environ-declarations", self.root, max_start_depth=0).get("environ.name"))
        nl = target.layout.nl
        blocks = tuple(sorted(target.blocks.items()))
        includes = self.reading.includes.get("include.line", [])
        if includes:
            end = max(includes, key=lambda n: n.end_byte).end_byte
            # preproc_include ends after its newline; keep the file's line end.
            return HeaderPlan(present, environ, end, nl, src[end - 1:end] != b"\n", blocks)
        pos = 0
        for child in self.root.children:
            if child.type not in ("comment", "preproc_def", "preproc_call"):
                pos = layout.line_start(src, child.start_byte)
                break
        return HeaderPlan(present, environ, pos, nl, False, blocks)


def _enclosing_function(node: Node) -> Optional[str]:
    fn = enclosing(node, "function_definition")
    return function_name(fn) if fn is not None else None


def _first_line(node: Node) -> str:
    parent = node.parent if node.type in ("identifier", "preproc_arg") and node.parent is not None else node
    if parent.type in ("argument_list", "pointer_expression", "init_declarator", "assignment_expression"):
        parent = node.parent
    return " ".join(text(parent).split("\n", 1)[0].split())[:80]
