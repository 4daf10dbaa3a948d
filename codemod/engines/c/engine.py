"""Analyse one C file: every vfork reference gets a verdict and, where the
tool can prove it, a rewrite made of byte-range edits."""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass, replace
from typing import Optional

from codemod.core import layout, limits, region
from codemod.core.edits import apply_edits
from codemod.core.model import MACRO_BODY, Edit, Finding, Fix, Verdict
from codemod.core.reasons import For
from codemod.engines.c import configurations
from codemod.engines.c.frontend import knr, preproc
from codemod.engines.c.proof import analysis, indirect, outcomes, provenance, sites
from codemod.engines.c.rewrite import definitions, handoff, spawn
from codemod.engines.c.proof.analysis import Options
from codemod.engines.c.frontend.partial import shifted
from codemod.engines.c.frontend.syntax import (
    PREPROC_BRANCHES, Node, call_name, captures, captures_near, declarators, depth, encode_text, enclosing, function_name, index,
    line, parse, reparse, short, text,
)

R = For("c")

# Where a statement can be replaced by a block or preceded by one.
STATEMENT_LISTS = {"compound_statement", "case_statement"} | PREPROC_BRANCHES
NULL_HEADERS = {b"stdio.h", b"stdlib.h", b"stddef.h", b"string.h", b"unistd.h", b"locale.h", b"time.h", b"wchar.h"}


class _Words:
    """``name in words``: the file uses ``name`` as a whole word (anywhere,
    comments and strings included).  Asked for a handful of generated names
    per rewrite, so it searches instead of collecting every word."""

    def __init__(self, source: bytes):
        self.source = source

    def __contains__(self, name: str) -> bool:
        word = name.encode()
        return word in self.source and re.search(rb"\b" + re.escape(word) + rb"\b", self.source) is not None


class _Either:
    """``name in taken``: in either collection."""

    def __init__(self, *collections):
        self.collections = collections

    def __contains__(self, name: str) -> bool:
        return any(name in c for c in self.collections)


@dataclass
class _Layout:
    """A file's line ending and indentation unit."""

    nl: str
    unit: str


class CFile:
    """A parsed C file, its findings, and how to render a chosen set of them
    (a :class:`codemod.engines.base.Unit`)."""

    language = "c"

    def __init__(self, source: bytes, path: str, options: Options = Options(), ranges: Optional[list] = None,
                 prepared: Optional[bytes] = None, only: Optional[int] = None, tree=None):
        """``ranges``: parse only these byte ranges (a file too big to parse
        whole, see codemod.engines.c.frontend.partial).  ``prepared``: the text to
        parse instead (one configuration of the file, codemod.engines.c.configurations).
        ``only``: analyse only the site whose `vfork` starts at this byte
        (keys stay those of the whole file); references are not reported.
        ``tree``: the parse of ``prepared``, when the caller has it."""
        self.source = source
        self.path = path
        self.options = replace(options, path=path, asked=set())
        self.ranges = ranges
        self.prepared = prepared is not None
        self.only = only
        self.decisions: dict = {}                 # vfork token start -> (site, decision), for configurations
        self._via: dict = {}                      # start byte -> indirect.Via of calls through wrappers
        self.site_notes: list = []                # project.SiteNote of those calls, for the index
        # (item's byte range, {prepared text: tree}): the parses of one
        # top-level item's configurations (codemod.engines.c.configurations).
        self.configuration_trees: Optional[tuple] = None
        # Conditionals the configuration decides are blanked for the parse
        # (codemod.engines.c.frontend.preproc); offsets stay those of ``source``.
        self.blanked = None if prepared is not None else \
            preproc.blank(source, preproc.Config.of(options))
        self.parsed = prepared if prepared is not None else self.blanked.text if self.blanked is not None else source
        self.tree = tree if tree is not None else parse(self.parsed, ranges)
        self.root = self.tree.root_node
        if self.root.has_error and ranges is None and prepared is None:
            old_c = knr.normalise(self.parsed, self.root)
            if old_c is not None:
                self.parsed = old_c
                self.tree = parse(self.parsed)
                self.root = self.tree.root_node
        self._includes = self._outside_groups(captures("top-level-includes", self.root, max_start_depth=0))
        self._site_options = None
        self._rendered: Optional[tuple] = None    # (text, edits) of the last render()
        self._generated: set = set()              # names generated for earlier sites
        self._blocks: dict = {}                   # code blocks fixes need once (HeaderPlan.blocks)
        self.findings = self._analyse()

    @functools.cached_property
    def layout(self) -> _Layout:
        """The file's line ending and indentation unit (only rewrites need them)."""
        return _Layout(layout.newline(self.source).decode(), layout.indent_unit(self.source).decode())

    @functools.cached_property
    def taken_names(self) -> "_Words":
        """The words of the file, which generated names avoid."""
        return _Words(self.source)

    def _configured_groups(self, site) -> list:
        """Reasons for the `#if` groups inside the child region that only the
        configuration (--define/--undefine) decides: the other
        configurations of the region are not analysed."""
        if self.blanked is None or not self.blanked.configured or site.region is None:
            return []
        lo, hi = site.region.body[0].start_byte, site.region.body[-1].end_byte
        flags = ", ".join([f"-D {n}" + (f"={v}" if v != "1" else "") for n, v in self.options.defines]
                          + [f"-U {n}" for n in self.options.undefines])
        return [R("configured-branch", self.source.count(b"\n", 0, a) + 1, directive=directive, flags=flags)
                for a, b, directive in self.blanked.configured if lo <= a < hi or a <= lo < b]

    def _integer_macro(self, name: str) -> Optional[int]:
        """The value of ``name`` when every definition of it the file (or,
        failing that, the project index) has is the same integer."""
        cache = self.__dict__.setdefault("_integers", {})
        if name not in cache:
            bodies = [text(n.child_by_field_name("value")) for nodes in captures_near(
                self.root, name.encode(), "project-macros", whole_lines=True).values() for n in nodes
                if text(n.child_by_field_name("name")) == name and n.child_by_field_name("value") is not None]
            if not bodies and self.options.asked is not None:
                self.options.asked.add(name)          # the project index looks for it in the headers
            if not bodies and self.options.project is not None:
                bodies = [d.text for d in self.options.project.lookup(name, self.path)
                          if d.kind == "macro" and d.params is None]
            values = {preproc.evaluate(b.encode("utf-8", "surrogateescape"), preproc.Config()) for b in bodies}
            cache[name] = values.pop() if len(values) == 1 and None not in values else None
        return cache[name]

    def _outside_groups(self, found: dict) -> dict:
        """An `#include` inside a decided `#if` group looks top-level in the
        blanked parse; new lines must not be placed inside that group."""
        if self.blanked is None:
            return found
        spans = self.blanked.groups
        return {k: [n for n in nodes if not any(a <= n.start_byte < b for a, b in spans)] for k, nodes in found.items()}

    @property
    def asks(self) -> frozenset:
        """Names the analysis looked up and the C library table lacks."""
        return frozenset(self.options.asked or ())

    # -- analysis ----------------------------------------------------------
    def _analyse(self) -> list:
        calls, refs = sites.find_references(self.root, self.options.aliases)
        if self.only is not None:
            refs = []
        else:
            self._check_depth(calls, refs)
        via = indirect.calls(self.root, self.options.project, self.path, self.options.aliases)
        known = {t.start_byte for t in calls}
        calls = sorted(calls + [tok for start, (tok, _) in via.items() if start not in known],
                       key=lambda n: n.start_byte)
        self._via = {start: v for start, (_, v) in via.items()}
        with outcomes.macros(self._integer_macro):
            findings = [self._site_finding(key, tok) for key, tok in enumerate(calls)
                        if self.only is None or tok.start_byte == self.only]
        for ref in refs:
            fn = _enclosing_function(ref.node)
            defined = definitions.finding(self, len(findings), ref, fn)
            if defined is not None:
                findings.append(defined)
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
        finding = self._one_configuration(key, tok)
        if finding.verdict is Verdict.REVIEW and not self.prepared and self.ranges is None \
                and any(r.kind in configurations.TRIGGERS for r in finding.reasons):
            return configurations.finding(self, key, tok, finding) or finding
        return finding

    def _one_configuration(self, key: int, tok: Node) -> Finding:
        levels = depth(self.root, tok, limits.MAX_SITE_DEPTH + 1)
        if levels > limits.MAX_SITE_DEPTH:
            raise limits.TooDeep(f"nesting too deep to analyse: the `vfork` at line {line(tok)} is nested more "
                                 f"than {limits.MAX_SITE_DEPTH:,} levels deep (no hand-written code is)")
        options = self._options_for_site()
        site = sites.locate(tok, self._never_returns, self._forks)

        def analyse():
            def origins(wanted: set) -> tuple:
                return provenance.origins(site, wanted, lambda name: options.lookup(name) is not None,
                                          sites.always_leaves)
            result = text(site.result) if site.result is not None and site.result.type == "identifier" else None
            child = analysis.analyse(site.region.body, options, _private_locals(site), origins, result)
            self._handoff_variables(site, child)
            return child

        def no_spawn(child) -> list:
            against = list(site.no_spawn)
            if site.result is None:
                against.append(R("no-pid", line(tok)))
            elif not site.error_path:
                against.append(R("no-failure-check", line(tok), result=text(site.result)))
            return against

        decision = region.decide(site.review, site.region, R("region-undelimited", line(tok)), analyse, no_spawn,
                                 lambda child: self._spawn_edits(site, child),
                                 lambda child: not child.unreadable and not child.handoffs)
        configured = self._configured_groups(site)
        if configured and decision.verdict is not Verdict.REVIEW:
            decision = decision._replace(verdict=Verdict.REVIEW, reasons=configured, fix="fork")
        if decision.verdict is Verdict.FORK and decision.child.exit_helpers:
            decision = decision._replace(verdict=Verdict.REVIEW, reasons=list(decision.child.exit_helpers))
        self.decisions[tok.start_byte] = (site, decision)
        fname = function_name(site.function) if site.function is not None else None
        finding = Finding(self.path, line(tok), tok.start_point.column + 1, "c", decision.verdict, "",
                          function=fname)
        via = self._via.get(tok.start_byte)
        if via is not None:
            return definitions.via_finding(self, finding, key, site, decision, via)
        if decision.verdict is Verdict.SPAWN:
            return self._spawn(finding, key, site, decision.child, decision.spawn)
        reasons = decision.reasons
        fix = None
        if decision.verdict is Verdict.FORK and decision.child.handoffs:
            return self._handoff(finding, key, site, decision)
        if decision.fix == "fork":
            edits, needs = self.fork_edits(site, decision.child)
            fix = Fix(Verdict.REVIEW.info.applicability if decision.verdict is Verdict.REVIEW
                      else Verdict.FORK.info.applicability, key, tuple(edits), needs, target="fork")
        if decision.verdict is Verdict.FORK:
            reasons = reasons + [r for _, r in analysis.exit_edits(decision.child)]
        return replace(finding, message=region.message(decision, "fork"), reasons=tuple(reasons), fix=fix)

    def _options_for_site(self) -> Options:
        if self._site_options is None:
            self._site_options = replace(self.options, gnu_source=self._gnu_source(), path=self.path)
        return self._site_options

    def _never_returns(self, call: Node) -> bool:
        """The call never returns: the C library's exits, configured exec
        wrappers, and project functions the index knows end the process or
        are declared noreturn."""
        return analysis.never_returns(call, self._options_for_site().lookup)

    def _forks(self, call: Node, when: Optional[Node] = None) -> bool:
        """``call`` returns what fork returns: fork() itself, or a project
        wrapper the index read (`xfork()`), for `c ? xfork() : vfork()`.
        With ``when`` a macro name (`BB_MMU`), definitions that exist only
        where it is false (`# define xfork() BUG_...()` under its `#else`)
        are not the ones that run: the arm runs only where it is true."""
        name = call_name(call)
        if name in sites.FORKS:
            return True
        options = self._options_for_site()
        options.lookup(name)            # asks the project index about it (learned for the next pass)
        knowledge = options.project
        if knowledge is None or not name:
            return False
        defs = [d for d in knowledge.lookup(name, self.path) if d.kind != "declaration"]
        if when is not None and when.type == "identifier":
            flag = text(when)
            options.lookup(flag)
            known = knowledge.lookup(flag, self.path)
            if known and all(d.kind == "macro" and d.params is None for d in known):
                defs = [d for d in defs if f"not (#if {flag})" not in d.condition.split(" && ")]
        return bool(defs) and all(indirect.returns_fork(d) for d in defs)

    def _gnu_source(self) -> bool:
        found = captures("feature-macros", self.root, max_start_depth=0).get("feature.define", [])
        includes = self._includes.get("include.line", [])
        first = min((n.start_byte for n in includes), default=len(self.source))
        return any(n.start_byte < first for n in found)

    # -- verdicts ----------------------------------------------------------
    def _spawn(self, finding: Finding, key: int, site, child, edits: list) -> Finding:
        plan = child.plan
        needs = frozenset(spawn.needs(plan) | ({"signal.h"} if any(a.op == "setsigdef" for a in plan.actions)
                                               else set()))
        first, last = line(site.region.body[0]), site.region.body[-1].end_point.row + 1
        reasons = [R("spawn-action", a.line, detail=_describe_action(a)) for a in plan.actions] + list(plan.notes)
        reasons.sort(key=lambda r: r.line)
        reasons.append(R("exec-becomes", line(plan.exec.node),
                         name=plan.exec.node.child_by_field_name("function").text.decode(),
                         spawn=plan.exec.spec.spawn))
        reasons.append(R("exec-failure-changes", line(site.call), result=text(site.result)))
        return replace(finding, message=f"fixable with {plan.exec.spec.spawn}: child (lines {first}-{last})",
                       reasons=tuple(reasons), fix=Fix(Verdict.SPAWN.info.applicability, key, tuple(edits), needs,
                                                       target=plan.exec.spec.spawn))

    def _handoff_variables(self, site, child) -> None:
        """The type of each hand-off variable, or a review reason when the
        pipe cannot carry it."""
        child.handoff_vars = []
        for h in child.handoffs:
            if any(v.name == h.name for v in child.handoff_vars):
                continue
            var, problem = handoff.variable(site.function, self.root, h.name, site.call.start_byte)
            if problem is not None:
                kind, fields = problem
                child.review.append(R(kind, line(h.stmt), stmt=short(h.stmt), name=h.name, **fields))
                return
            child.handoff_vars.append(var)

    def _handoff(self, finding: Finding, key: int, site, decision) -> Finding:
        child = decision.child
        variables = child.handoff_vars
        index = {v.name: i for i, v in enumerate(variables)}
        fname = function_name(site.function) or "child"
        names = handoff.names(fname, _Either(self.taken_names, self._generated))
        self._generated |= set(vars(names).values())
        options = self._options_for_site()
        pipe2 = options.target == "glibc" and options.gnu_source
        helper_lines = handoff.helpers(names, variables, [index[h.name] for h in child.handoffs], pipe2)
        above = handoff.insertion_point(site.function)
        start = layout.line_start(self.source, above.start_byte)
        block = f"handoff:{key:06d}"
        self._blocks[block] = (start, encode_text(self._lines(helper_lines, "")))
        edits = []
        args = ", ".join(f"&{v.name}" for v in variables)
        edits.append(Edit(site.call.start_byte, site.call.end_byte, f"{names.fork}({args})".encode()))
        for tag, h in enumerate(child.handoffs):
            a = h.assignment
            edits.append(Edit(a.start_byte, a.start_byte, f"{names.put}({tag}, ".encode()))
            edits.append(Edit(a.end_byte, a.end_byte, b")"))
        edits += [e for e, _ in analysis.exit_edits(child)]
        shown = ", ".join(f"`{v.name}`" for v in variables)
        reasons = list(decision.reasons)
        reasons.append(R("handoff-pipe", line(site.call), helper=names.fork, names=shown,
                         pipe="pipe2(O_CLOEXEC)" if pipe2 else "pipe and fcntl(FD_CLOEXEC)"))
        if not pipe2:
            reasons.append(R("handoff-pipe-race", line(site.call)))
        reasons += [r for _, r in analysis.exit_edits(child)]
        target = "fork and a close-on-exec pipe"
        fix = Fix(Verdict.FORK.info.applicability, key, tuple(edits),
                  frozenset({"unistd.h", "errno.h", "fcntl.h", block}), kind="vfork-to-fork-pipe", target=target)
        return replace(finding, message=region.message(decision, target),
                       reasons=tuple(reasons), fix=fix)

    # -- rewrites ----------------------------------------------------------
    def fork_edits(self, site, child) -> tuple:
        """(edits, headers needed) that turn ``site`` into fork: the call's
        name, and the child's exit() calls into _exit()."""
        edits = [Edit(site.token.start_byte, site.token.end_byte, b"fork")]
        renames = analysis.exit_edits(child)
        edits += [e for e, _ in renames]
        return edits, frozenset({"unistd.h"} if renames else set())

    def _spawn_edits(self, site, child) -> tuple:
        """The posix_spawn edits, or (None, reason) when they cannot be placed."""
        src = self.source
        child_region = site.region
        del_start, del_end, whole = child_region.delete
        if whole:
            del_start, del_end = layout.whole_lines(src, del_start, del_end)
        deletion = Edit(del_start, del_end, b"")
        direct = self._declared_pid_t(site)
        block_lines = spawn.render(child.plan, text(site.result), direct,
                                   spawn.Names.avoiding(self.taken_names), self._null())
        edits = [deletion]
        anchor = site.anchor
        if site.declarator is not None:
            value = site.declarator.child_by_field_name("value")
            declarator = site.declarator.child_by_field_name("declarator")
            if _const_qualified(anchor):
                return None, R("pid-const", line(anchor), name=text(declarator))
            edits.append(Edit(declarator.end_byte, value.end_byte, b""))
            target = _first_statement_after(anchor)
            if target is None or not layout.starts_line(src, target.start_byte):
                return None, R("no-statement-after", line(anchor))
            edits.append(self._insert_block(target.start_byte, block_lines))
        elif anchor.type == "expression_statement":
            if anchor.parent.type not in STATEMENT_LISTS \
                    or not layout.starts_line(src, anchor.start_byte):
                return None, R("not-own-statement", line(anchor), stmt=text(anchor))
            late = _declared_between(site.function, anchor.end_byte, child_region.body[0].start_byte,
                                     child.plan.used_names)
            if late:
                return None, R("declared-after-vfork", line(late), decl=text(late))
            indent = layout.indentation_at(src, anchor.start_byte).decode()
            rendered = self._lines(block_lines, indent)
            edits.append(Edit(anchor.start_byte, anchor.end_byte, encode_text(rendered[len(indent):].rstrip("\r\n"))))
        else:
            # vfork inside an if/switch condition: spawn first, then test.
            if anchor.parent.type not in STATEMENT_LISTS \
                    or not layout.starts_line(src, anchor.start_byte):
                return None, R("condition-not-own-line", line(anchor))
            edits.append(self._insert_block(anchor.start_byte, block_lines))
            inner = site.assignment
            while inner.parent.type == "parenthesized_expression" and inner.parent.parent.type != "switch_statement" \
                    and inner.parent.parent.type != "if_statement":
                inner = inner.parent
            repl = Edit(inner.start_byte, inner.end_byte, encode_text(text(site.result)))
            if not (deletion.start <= repl.start and repl.end <= deletion.end):
                edits.append(repl)
        stranded = self._stranded(site, child, deletion)
        if stranded:
            return None, stranded
        if self._opens_function_end(site, edits):
            return None, R("opens-function-end", line(child_region.owner), function=function_name(site.function))
        return edits, None

    def _opens_function_end(self, site, edits: list) -> bool:
        """The function's end was unreachable and would not be after the edits."""
        fn = site.function
        body = fn.child_by_field_name("body")
        leaving = region.first_leaving(sites.SYNTAX, sites.statements(body), sites.exits)
        if leaving is None:
            return False
        if all(e.end <= leaving.start_byte for e in edits):
            return False  # the statement that always leaves stays, untouched
        # Parse the rewritten function on its own: all of a site's edits lie inside it.
        lo, hi = fn.start_byte, fn.end_byte
        if any(not (lo <= e.start and e.end <= hi) for e in edits):
            return True
        text_after = apply_edits(self.source[lo:hi], [Edit(e.start - lo, e.end - lo, e.text) for e in edits])
        new_fn = next((n for n in parse(text_after).root_node.children if n.type == "function_definition"), None)
        return new_fn is None or sites.can_reach_end(new_fn.child_by_field_name("body"))

    def _insert_block(self, pos: int, block_lines: list) -> Edit:
        start = layout.line_start(self.source, pos)
        indent = layout.indentation_at(self.source, pos).decode()
        return Edit(start, start, encode_text(self._lines(block_lines, indent)))

    def _lines(self, block_lines: list, indent: str) -> str:
        nl, unit = self.layout.nl, self.layout.unit
        out = []
        for level, s in block_lines:
            out.append("" if level is None else indent + unit * level + s)
        return nl.join(out) + nl

    def _null(self) -> str:
        paths = {n.text.strip(b"<>\"") for n in self._includes.get("include.path", [])}
        return "NULL" if paths & NULL_HEADERS else "(void *)0"

    def _declared_pid_t(self, site) -> bool:
        """The result is a plain variable declared `pid_t`, so `&pid` fits posix_spawn."""
        if site.result is None or site.result.type != "identifier":
            return False
        name = text(site.result)
        if site.declarator is not None:
            decl = site.declarator.parent
            return text(decl.child_by_field_name("type")) == "pid_t" and not _const_qualified(decl)
        for n in index(site.function).of("declaration"):
            if n.start_byte < site.call.start_byte:
                for d in n.children_by_field_name("declarator"):
                    if d.type == "identifier" and text(d) == name:
                        return text(n.child_by_field_name("type")) == "pid_t"
        return False

    def _stranded(self, site, child, deletion: Edit):
        """A variable or parameter only the removed child used would become unused."""
        used_by_spawn = child.plan.used_names
        fn = site.function
        checked = set()
        lo, hi = site.region.body[0].start_byte, site.region.body[-1].end_byte
        for ident in index(fn).within("identifier", lo, hi):
            name = text(ident)
            declared_inside = name in child.locals and name not in child.private
            if name in checked or declared_inside or name in used_by_spawn:
                continue
            checked.add(name)
            decl = _local_declaration(fn, name, lo)
            if decl is None:
                continue
            others = [n for n in index(fn).idents.get(name, [])
                      if n != decl and not (deletion.start <= n.start_byte < deletion.end)]
            if not others:
                return R("stranded", line(decl), name=name, at=line(decl))
        return None

    def render(self, chosen: list) -> bytes:
        """The file with the chosen findings' edits and the headers they need."""
        edits = _edits(chosen, self.headers)
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

    compiled: Optional[bool] = None   # the rewrite was compiled with the project's flags (and passed)

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
        return _parses_as_cleanly(new, self.ranges, edits, _error_count(self.root))

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
            text_ = old_c if old_c is not None else text_
        return _parses_as_cleanly(text_, self.ranges, edits, _error_count(self.root))

    def renderer(self, options) -> "EditRenderer":
        """The findings' edits render anywhere.  When the command renders
        single fixes, each is checked here, where a fast incremental parse
        of the original tree is at hand."""
        verified: frozenset = frozenset()
        if options.renders:
            verified = frozenset(f.fix.key for f in self.findings
                                 if f.fix is not None and not self.verify(self.render([f])))
        return EditRenderer(self.headers, self.ranges, _error_count(self.root), verified)

    @functools.cached_property
    def headers(self) -> "HeaderPlan":
        """Where the `#include` lines a rewrite needs go, and which are there already."""
        src = self.source
        present = frozenset(n.text.strip(b"<>\"").decode("latin-1") for n in captures_near(
            self.root, b"include", "includes", whole_lines=True).get("include.any", []))
        environ = bool(captures("environ-declarations", self.root, max_start_depth=0).get("environ.name"))
        nl = self.layout.nl
        includes = self._includes.get("include.line", [])
        if includes:
            end = max(includes, key=lambda n: n.end_byte).end_byte
            # preproc_include ends after its newline; keep the file's line end.
            return HeaderPlan(present, environ, end, nl, src[end - 1:end] != b"\n", tuple(sorted(self._blocks.items())))
        pos = 0
        for child in self.root.children:
            if child.type not in ("comment", "preproc_def", "preproc_call"):
                pos = layout.line_start(src, child.start_byte)
                break
        return HeaderPlan(present, environ, pos, nl, False, tuple(sorted(self._blocks.items())))


HEADER_ORDER = ("unistd.h", "errno.h", "fcntl.h", "signal.h", "spawn.h")


@dataclass(frozen=True)
class HeaderPlan:
    """The file-level lines C fixes need, as data: any set of fixes gets
    its header edit without the file's syntax tree."""

    present: frozenset     # headers the file includes
    environ: bool          # the file declares `environ`
    pos: int               # where new lines go
    nl: str
    lead: bool             # the last #include has no line end: start with one
    # Code blocks a fix needs once, by name: (position, text).  Blocks at
    # one position are inserted together, in name order (the helpers of two
    # hand-off sites above one function).
    blocks: tuple = ()

    def edits(self, wanted: set) -> list:
        out = []
        lines = [f"#include <{h}>" for h in HEADER_ORDER if h in wanted and h not in self.present]
        if "environ" in wanted and not self.environ:
            lines.append("extern char **environ;")
        if lines:
            body = self.nl + self.nl.join(lines) if self.lead else self.nl.join(lines) + self.nl
            out.append(Edit(self.pos, self.pos, encode_text(body)))
        at: dict = {}
        for name, (pos, code) in self.blocks:
            if name in wanted:
                at.setdefault(pos, []).append(code)
        for pos, texts in sorted(at.items()):
            if out and out[0].start == pos:
                out[0] = Edit(pos, pos, out[0].text + b"".join(texts))
            else:
                out.append(Edit(pos, pos, b"".join(texts)))
        return out


@dataclass(frozen=True)
class EditRenderer:
    """Renders any chosen set of a C file's fixes from the findings' edits."""

    headers: HeaderPlan
    ranges: Optional[list]
    errors: int            # ERROR and MISSING nodes in the original
    verified: frozenset = frozenset()    # keys of fixes already checked alone

    def render(self, original: bytes, findings: list) -> Optional[bytes]:
        edits = _edits(findings, self.headers)
        if any(a.overlaps(b) for i, a in enumerate(edits) for b in edits[i + 1:]):
            return None
        new = apply_edits(original, edits)
        if len(findings) == 1 and findings[0].fix.key in self.verified:
            return new
        return None if _parses_as_cleanly(new, self.ranges, edits, self.errors) else new


def _edits(findings: list, headers: HeaderPlan) -> list:
    wanted: set = set()
    for f in findings:
        wanted |= f.fix.needs
    return [e for f in findings for e in f.fix.edits] + headers.edits(wanted)


def _parses_as_cleanly(new: bytes, ranges: Optional[list], edits: Optional[list], before: int) -> Optional[str]:
    """Why ``new`` fails the check that it parses as cleanly as the original (``before`` errors), or None."""
    root = parse(new, shifted(ranges, edits) if ranges is not None else None).root_node
    if root.has_error and _error_count(root) > before:
        return "the rewritten file would not parse as cleanly as the original"
    return None


def _enclosing_function(node: Node) -> Optional[str]:
    fn = enclosing(node, "function_definition")
    return function_name(fn) if fn is not None else None


def _first_line(node: Node) -> str:
    parent = node.parent if node.type in ("identifier", "preproc_arg") and node.parent is not None else node
    if parent.type in ("argument_list", "pointer_expression", "init_declarator", "assignment_expression"):
        parent = node.parent
    return " ".join(text(parent).split("\n", 1)[0].split())[:80]


_ACTION_TEXT = {
    "adddup2": "dup2({0}, {1}) → posix_spawn_file_actions_adddup2",
    "addclose": "close({0}) → posix_spawn_file_actions_addclose",
    "addopen": "open({1}, {2}) moved onto fd {0} → posix_spawn_file_actions_addopen",
    "addchdir_np": "chdir({0}) → posix_spawn_file_actions_addchdir_np (glibc 2.29)",
    "setpgroup": "setpgid(0, {0}) → POSIX_SPAWN_SETPGROUP",
    "setsigdef": "{0} reset to SIG_DFL → POSIX_SPAWN_SETSIGDEF",
    "setsigmask": "signal mask {0} → POSIX_SPAWN_SETSIGMASK",
    "setsid": "setsid() → POSIX_SPAWN_SETSID (glibc 2.26)",
}


def _describe_action(a) -> str:
    return _ACTION_TEXT[a.op].format(*a.args) + a.note


def _const_qualified(decl: Node) -> bool:
    return any(c.type == "type_qualifier" and text(c) == "const" for c in decl.children)


def _first_statement_after(decl: Node) -> Optional[Node]:
    node = decl.next_named_sibling
    while node is not None and node.type in ("declaration", "comment"):
        node = node.next_named_sibling
    return node


def _declared_between(fn: Node, lo: int, hi: int, names: set) -> Optional[Node]:
    """A declarator of one of ``names`` between bytes ``lo`` and ``hi``."""
    for n in index(fn).of("declaration"):
        if lo <= n.start_byte < hi:
            for d in declarators(n):
                if text(d) in names:
                    return d
    return None


def _local_declaration(fn: Node, name: str, before: int) -> Optional[Node]:
    """The identifier node declaring ``name`` as a parameter or local of ``fn``."""
    idx = index(fn)
    knr = [n for n in idx.idents.get(name, []) if n.parent.type == "parameter_list"]
    for n in sorted(knr + idx.of("parameter_declaration", "declaration"), key=lambda n: n.start_byte):
        if n.start_byte >= before:
            break
        if n.type == "identifier":
            return n
        else:
            for d in declarators(n):
                if text(d) == name:
                    return d
    return None

def _error_count(root: Node) -> int:
    """ERROR and MISSING nodes, descending only into subtrees that have some."""
    count, stack = 0, [root]
    while stack:
        n = stack.pop()
        if n.type == "ERROR" or n.is_missing:
            count += 1
        stack.extend(c for c in n.children if c.has_error)
    return count


def _private_locals(site) -> dict:
    """Locals of the function that only the child region mentions.

    A C89 function declares its loop counter at the top (`int fd;`) and
    uses it only in the child: the parent never reads it, so the child's
    writes cannot change what the parent does.  Static, volatile and
    address-taken variables never qualify.
    """
    body = site.function.child_by_field_name("body")
    lo = site.region.body[0].start_byte
    hi = site.region.body[-1].end_byte
    candidates: dict = {}
    idx = index(site.function)
    for decl in idx.of("declaration"):
        if lo <= decl.start_byte < hi or not (body.start_byte <= decl.start_byte < body.end_byte):
            continue
        if any(c.type in ("storage_class_specifier", "type_qualifier") and text(c) in ("static", "volatile", "extern")
               for c in decl.children):
            continue
        for ident in declarators(decl):
            candidates[text(ident)] = ident
    mentions = {name: [n for n in idx.idents.get(name, []) if body.start_byte <= n.start_byte < body.end_byte]
                for name in candidates}
    private = {}
    for name, decl_ident in candidates.items():
        uses = [n for n in mentions.get(name, []) if n != decl_ident]
        if uses and all(lo <= n.start_byte < hi for n in uses):
            if not any(n.parent.type == "pointer_expression" and
                       n.parent.child_by_field_name("operator").type == "&" for n in uses):
                private[name] = decl_ident
    return private
