"""Findings for calls through wrappers and redirects, and for the
definitions that the rewrite changes (see :mod:`codemod.engines.c.proof.indirect`)."""
from __future__ import annotations

import bisect
import functools
import re

from dataclasses import replace
from typing import Optional

from codemod.core import layout
from codemod.core.model import Edit, Finding, Fix, Verdict
from codemod.core.reasons import For
from codemod.engines.c.proof import analysis, indirect
from codemod.engines.c.project.knowledge import SiteNote
from codemod.engines.c.frontend.syntax import line, text

R = For("c")


def via_finding(reading, finding: Finding, key: int, site, decision, via) -> Finding:
    """The finding of a call through a wrapper or a redirect: its child is
    judged as usual, and it is fork-safe when that verdict is spawn or fork
    and nothing in the wrapper's body runs in the child."""
    at = line(site.call)
    through = R(f"via-{via.kind}", at, name=via.name, where=via.where, definition=via.definition)
    child = decision.child
    knowledge = reading.options.project
    problem = None
    if via.kind == "wrapper":
        why = indirect.wrapper_problem(knowledge.wrappers[via.name], reading.options)
        if why is not None:
            problem = R("wrapper-body", at, name=via.name, where=via.where, why=why)
    blocking = []
    if via.kind == "wrapper-function":
        blocking = [through]
    elif problem is not None:
        blocking = [problem]
    elif decision.verdict is Verdict.REVIEW:
        blocking = list(decision.reasons)
    elif child is not None and child.handoffs:
        blocking = [R("via-handoff", at, name=via.name)]
    elif child is not None and child.exit_helpers and reading.options.strict_exits:
        blocking = [h.reason(True) for h in child.exit_helpers]
    note_key = via.name if via.kind != "redirect" else via.where
    if blocking:
        reading.site_notes.append((note_key, SiteNote(reading.path, finding.line, False, blocking[0].text)))
        blocked = set(blocking)
        reasons = blocking + ([through] if blocking[0] is not through else []) + \
            ([r for r in decision.reasons if r not in blocked] if decision.verdict is Verdict.REVIEW else [])
        return replace(finding, verdict=Verdict.REVIEW, message=f"needs review: {reasons[0].text}",
                       reasons=tuple(reasons), fix=None)
    reading.site_notes.append((note_key, SiteNote(reading.path, finding.line, True)))
    pairs = analysis.exit_edits(child)
    renames = [e for e, _ in pairs]
    reasons = [through] + (list(decision.reasons) if decision.verdict is Verdict.FORK else []) + \
        [r for _, r in pairs]
    fix = Fix(Verdict.FORK.info.applicability, key, tuple(renames), frozenset({"unistd.h"}), target="fork") \
        if renames else None
    where = "its definition changes" if via.kind == "wrapper" else "the redirect is removed"
    return replace(finding, verdict=Verdict.FORK, reasons=tuple(reasons), fix=fix,
                   message=f"fork-safe through {via.definition} ({via.where}): {where} there")


def finding(reading, key: int, ref, function: Optional[str]) -> Optional[Finding]:
    """The finding of a wrapper's or redirect's definition, or None when the
    index knows no calls through it (it stays a note)."""
    knowledge = reading.options.project
    directive = ref.node.parent if ref.node.type == "preproc_arg" else None
    if knowledge is None or directive is None or directive.type not in ("preproc_def", "preproc_function_def"):
        return None
    name = text(directive.child_by_field_name("name"))
    here = f"{reading.path}:{line(directive)}"
    redirect = next((r for r in knowledge.redirects if r.definition.where == here), None)
    wrapper = knowledge.wrappers.get(name)
    if redirect is not None:
        notes = knowledge.sites.get(here, [])
        start, end = layout.whole_lines(reading.source, directive.start_byte, _directive_end(reading.source, directive))
        edits = (Edit(start, end, b""),)
        what = "removing the redirect makes the calls it reaches real fork calls"
        extra = [R("redirect-conditional", line(directive), condition=redirect.definition.condition)] \
            if redirect.definition.condition else []
    elif wrapper is not None and not wrapper.function and wrapper.definition.where == here:
        notes = knowledge.sites.get(name, [])
        spans = [s for s in indirect.vfork_edits(ref.node) if _at(reading.source, s[0]) == (ref.line, ref.column)]
        if not spans:
            return None
        edits = tuple(Edit(a, b, b"fork") for a, b in spans)
        what = f"`{name}` calls fork instead"
        problem = indirect.wrapper_problem(wrapper, reading.options)
        extra = [R("wrapper-body", line(directive), name=name, where=here, why=problem)] if problem else []
    else:
        return None
    if not notes:
        return None
    bad = [n for n in notes if not n.fork_safe]
    calls = [R("definition-call", line(directive), where=f"{n.path}:{n.line}",
               state="fork-safe" if n.fork_safe else f"needs review: {n.why}") for n in notes]
    if bad or extra:
        reasons = extra + [c for c, n in zip(calls, notes) if not n.fork_safe] + \
            [c for c, n in zip(calls, notes) if n.fork_safe]
        return Finding(reading.path, ref.line, ref.column, "c", Verdict.REVIEW, f"needs review: {reasons[0].text}",
                       tuple(reasons), function,
                       Fix(Verdict.REVIEW.info.applicability, key, edits, frozenset(), target="fork"))
    return Finding(reading.path, ref.line, ref.column, "c", Verdict.FORK,
                   f"fixable with fork: {what} ({len(notes)} call{'s' if len(notes) != 1 else ''}, all fork-safe)",
                   tuple([R("definition-changes", line(directive), what=what)] + calls), function,
                   Fix(Verdict.FORK.info.applicability, key, edits, frozenset(), target="fork"))


def _directive_end(source: bytes, directive) -> int:
    """The end of a `#define` line, before its newline (tree-sitter's node
    takes the newline in)."""
    end = directive.end_byte
    while end > directive.start_byte and source[end - 1:end] in (b"\n", b"\r"):
        end -= 1
    return end


def _at(source: bytes, offset: int) -> tuple:
    starts = _line_starts(source)
    row = bisect.bisect_right(starts, offset)
    return row, offset - starts[row - 1] + 1


@functools.lru_cache(maxsize=4)
def _line_starts(source: bytes) -> list:
    """Offsets where the lines of ``source`` start (a header of 10,000
    wrapper macros asks for 10,000 positions; bytes keep their hash)."""
    return [0] + [m.end() for m in re.finditer(b"\n", source)]
