"""One reading of a C file: its text as one configuration parses it (the
file's own, or a configuration of a site's `#if`s), and the verdict of
each vfork site on it.

The stages meet here: the front end's tree, the project's knowledge (in
the options), the proof of each child region, and the rewrite chosen for
its decision (codemod.engines.c.rewrite)."""
from __future__ import annotations

from dataclasses import replace
from typing import Optional

from codemod.core import limits, region
from codemod.core.model import Finding, Verdict
from codemod.core.reasons import For
from codemod.engines.c.frontend import preproc
from codemod.engines.c.frontend.syntax import (
    Node, call_name, captures, captures_near, depth, function_name, line, short, text,
)
from codemod.engines.c.proof import analysis, childonly, indirect, outcomes, provenance, sites
from codemod.engines.c.proof.analysis import Options
from codemod.engines.c.rewrite import base as rewrites, definitions
from codemod.engines.c.rewrite.target import Target

R = For("c")


class Reading:
    """A parse of ``source`` (``parsed`` is the text of ``tree``: the
    source, or the source with some `#if` groups blanked) and the analysis
    of its sites.  ``blanked``: the groups the configuration decided, for a
    file's own reading; ``prepared``: a configuration's reading, whose
    sites are not split by configuration again."""

    def __init__(self, source: bytes, path: str, options: Options, parsed: bytes, tree,
                 blanked=None, ranges: Optional[list] = None, prepared: bool = False, moved: tuple = ()):
        self.source = source
        self.moved = moved          # ranges a K&R fix-up moved in ``parsed`` (knr.Normalised.moved)
        self.path = path
        self.options = options
        self.parsed = parsed
        self.tree = tree
        self.root = tree.root_node
        self.blanked = blanked
        self.ranges = ranges
        self.prepared = prepared
        self.decisions: dict = {}                 # vfork token start -> (site, decision), for configurations
        self.via: dict = {}                       # start byte -> indirect.Via of calls through wrappers
        self.site_notes: list = []                # knowledge.SiteNote of those calls, for the index
        # (item's byte range, {prepared text: tree}): the parses of one
        # top-level item's configurations (codemod.engines.c.configurations).
        self.configuration_trees: Optional[tuple] = None
        self.includes = self._outside_groups(captures("top-level-includes", self.root, max_start_depth=0))
        self._site_options: Optional[Options] = None
        self._integers: dict = {}
        self.target = Target(source, self.site_options, self.includes)

    def configuration(self, parsed: bytes, tree) -> "Reading":
        """The reading of one configuration's text (same source, path and
        options: the names its analysis asks the project index about are
        the file's questions too)."""
        return Reading(self.source, self.path, self.options, parsed, tree, prepared=True, moved=self.moved)

    # -- what the reading holds ---------------------------------------------
    def calls(self) -> tuple:
        """(the vfork calls, direct and through wrappers, in byte order;
        the references that are not calls)."""
        calls, refs = sites.find_references(self.root, self.options.aliases)
        via = indirect.calls(self.root, self.options.project, self.path, self.options.aliases)
        known = {t.start_byte for t in calls}
        calls = sorted(calls + [tok for start, (tok, _) in via.items() if start not in known],
                       key=lambda n: n.start_byte)
        self.via = {start: v for start, (_, v) in via.items()}
        return calls, refs

    def only(self, start: int) -> Optional[Finding]:
        """The finding of the one site whose `vfork` starts at byte ``start``
        (its key is its place among this reading's calls), or None."""
        calls, _ = self.calls()
        with outcomes.macros(self.integer_macro):
            found = [self.judge(key, tok) for key, tok in enumerate(calls) if tok.start_byte == start]
        return found[0] if found else None

    def integer_macro(self, name: str) -> Optional[int]:
        """The value of ``name`` when every definition of it the file (or,
        failing that, the project index) has is the same integer."""
        cache = self._integers
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

    def site_options(self) -> Options:
        """The analysis options of this reading's sites (with _GNU_SOURCE as the file has it)."""
        if self._site_options is None:
            self._site_options = replace(self.options, gnu_source=self._gnu_source(), path=self.path)
        return self._site_options

    def _outside_groups(self, found: dict) -> dict:
        """An `#include` inside a decided `#if` group looks top-level in the
        blanked parse; new lines must not be placed inside that group."""
        if self.blanked is None:
            return found
        spans = self.blanked.groups
        return {k: [n for n in nodes if not any(a <= n.start_byte < b for a, b in spans)] for k, nodes in found.items()}

    def _gnu_source(self) -> bool:
        found = captures("feature-macros", self.root, max_start_depth=0).get("feature.define", [])
        includes = self.includes.get("include.line", [])
        first = min((n.start_byte for n in includes), default=len(self.source))
        return any(n.start_byte < first for n in found)

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

    # -- one site --------------------------------------------------------------
    def judge(self, key: int, tok: Node) -> Finding:
        """The finding of the site whose `vfork` (or wrapper call) is ``tok``:
        the proof decides the verdict, a rewrite makes the finding."""
        levels = depth(self.root, tok, limits.MAX_SITE_DEPTH + 1)
        if levels > limits.MAX_SITE_DEPTH:
            raise limits.TooDeep(f"nesting too deep to analyse: the `vfork` at line {line(tok)} is nested more "
                                 f"than {limits.MAX_SITE_DEPTH:,} levels deep (no hand-written code is)")
        options = self.site_options()
        site = sites.locate(tok, self._never_returns, self._forks)

        def analyse():
            def origins(wanted: set) -> tuple:
                return provenance.origins(site, wanted, lambda name: options.lookup(name) is not None,
                                          sites.always_leaves)
            result = text(site.result) if site.result is not None and site.result.type == "identifier" else None
            private, again = childonly.child_locals(site, analysis.flatten)
            child = analysis.analyse(site.region.body, options, private, origins, result, again)
            for stmt in site.repeated_calls:
                both = analysis.repeated(stmt, options)
                if both.review:
                    child.review[:0] = [R("runs-in-both", line(stmt), stmt=short(stmt))] + both.review
                child.exit_helpers += both.exit_helpers
            if site.failure_runs_child is not None:
                # What the fork rewrite edits inside the child the parent
                # would run too, after a failed fork.
                for call in child.exit_calls + child.err_calls:
                    call = call.parent if call.type == "identifier" else call
                    child.review.append(R("failure-runs-exit", line(call), stmt=short(call),
                                          case=line(site.failure_runs_child)))
                for handoff in child.handoffs:
                    child.review.append(R("failure-runs-handoff", line(handoff.stmt), stmt=short(handoff.stmt),
                                          case=line(site.failure_runs_child)))
            for r in rewrites.rewrites():
                r.check(self.root, site, child)
            return child

        def no_spawn(child) -> list:
            against = list(site.no_spawn)
            if site.result is None:
                against.append(R("no-pid", line(tok)))
            elif not site.error_path:
                against.append(R("no-failure-check", line(tok), result=text(site.result)))
            return against

        spawning = rewrites.spawning()
        decision = region.decide(site.review, site.region, R("region-undelimited", line(tok)), analyse, no_spawn,
                                 lambda child: spawning.place(self.target, site, child),
                                 lambda child: not child.unreadable and not child.handoffs)
        configured = self._configured_groups(site)
        if configured and decision.verdict is not Verdict.REVIEW:
            decision = decision._replace(verdict=Verdict.REVIEW, reasons=configured, fix="fork")
        if decision.verdict is Verdict.FORK and decision.child.exit_helpers:
            # Project code that ends a failing child through exit() (or
            # writes stdio first) runs after fork on the child's copies of
            # the parent's buffers: listed in what a rewrite may change,
            # review under --strict-exits.
            strict = options.strict_exits
            helpers = [h.reason(strict) for h in decision.child.exit_helpers]
            decision = decision._replace(verdict=Verdict.REVIEW, reasons=helpers) if strict \
                else decision._replace(reasons=list(decision.reasons) + helpers)
        self.decisions[tok.start_byte] = (site, decision)
        fname = function_name(site.function) if site.function is not None else None
        finding = Finding(self.path, line(tok), tok.start_point.column + 1, "c", decision.verdict, "",
                          function=fname)
        via = self.via.get(tok.start_byte)
        if via is None:
            return self.placed(rewrites.choose(decision).finding(self.target, finding, key, site, decision))
        noted = len(self.site_notes)
        found = self.placed(definitions.via_finding(self, finding, key, site, decision, via))
        if found.verdict is Verdict.REVIEW:
            # What the wrapper's definition learns of this call is what it became.
            self.site_notes[noted:] = [(k, replace(n, fork_safe=False, why=n.why or found.reasons[0].text))
                                       for k, n in self.site_notes[noted:]]
        return found

    def placed(self, finding: Finding) -> Finding:
        """``finding``, without its fix when an edit of it falls where a K&R
        fix-up moved the text of the parse (knr.Normalised.moved): a spawn
        or fork verdict becomes review."""
        if finding.fix is None or not self.moved:
            return finding
        hit = next(((lo, hi) for e in finding.fix.edits for lo, hi in self.moved
                    if e.start < hi and max(e.end, e.start + 1) > lo and not (e.start == e.end == lo)), None)
        if hit is None:
            return finding
        lo, hi = hit
        first = self.source.count(b"\n", 0, lo) + 1
        moved = R("knr-moved", first, header=first, first=first, last=self.source.count(b"\n", 0, hi) + 1)
        if finding.verdict in (Verdict.SPAWN, Verdict.FORK):
            return replace(finding, verdict=Verdict.REVIEW, message=f"needs review: {moved.text}",
                           reasons=(moved,) + tuple(finding.reasons), fix=None)
        return replace(finding, reasons=tuple(finding.reasons) + (moved,), fix=None)

    def _never_returns(self, call: Node) -> bool:
        """The call never returns: the C library's exits, configured exec
        wrappers, and project functions the index knows end the process or
        are declared noreturn."""
        return analysis.never_returns(call, self.site_options().lookup)

    def _forks(self, call: Node, when: Optional[Node] = None) -> bool:
        """``call`` returns what fork returns: fork() itself, or a project
        wrapper the index read (`xfork()`), for `c ? xfork() : vfork()`.
        With ``when`` a macro name (`BB_MMU`), definitions that exist only
        where it is false (`# define xfork() BUG_...()` under its `#else`)
        are not the ones that run: the arm runs only where it is true."""
        name = call_name(call)
        if name in sites.FORKS:
            return True
        options = self.site_options()
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
