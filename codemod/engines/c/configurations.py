"""A vfork site split by `#if`: analysed once per configuration.

When a site is review because of the preprocessor (an `#ifdef` inside the
child, around the branch, around a `switch` head or case labels that
tree-sitter then cannot parse), the conditionals of the top-level item
holding it are enumerated: each name they test is taken defined or not
(`#ifdef X`, `defined(X)`) and true or false (`#if X`), at most
:data:`MAX_CONFIGURATIONS` combinations.  For each, the item is re-parsed
with the inactive lines blanked (offsets kept) and the site analysed as
usual.  The verdict:

* review, naming the configuration, when one configuration needs a person;
* posix_spawn when the site exists in every configuration and every one
  makes the same edits;
* otherwise fork, with the edits of every configuration (vfork → fork, and
  `exit` → `_exit` in every branch), when each is fork-safe.

Conditions that compare or compute with names (`#if VERSION > 3`) are not
enumerated; the site stays review with that reason.
"""
from __future__ import annotations

from dataclasses import replace
from typing import Optional

from codemod.core.model import Edit, Finding, Fix, Verdict
from codemod.core.reasons import For
from codemod.engines.c.frontend import preproc, variants
from codemod.engines.c.rewrite import fork
from codemod.engines.c.frontend.syntax import Node, errors_within, line, parse, reparse

R = For("c")
MAX_CONFIGURATIONS = 16
# Review reasons that the preprocessor may be behind.
TRIGGERS = frozenset({"preproc-in-child", "preproc-before-branch", "site-in-error", "missing-node", "error-node",
                      "configured-branch", "case-fallthrough", "switch-no-child", "branch-unclear"})


_SHARED_BYTES = 1_000_000   # configuration texts kept for the next site (about 20 MB of trees)


def _parse(reading, prepared: bytes, item: Node):
    """The tree of ``prepared``, which is ``reading.parsed`` with bytes changed
    only inside ``item``.  The next site of the same item shares it (up to
    _SHARED_BYTES of texts are kept, for one item at a time).  tree-sitter
    reparses just the changed part.  An incremental tree whose errors are
    all outside ``item`` is kept: there it is the file's own tree, whose
    error recovery the file's reading already lives with (busybox's hush.c,
    350 KB with an error elsewhere, was parsed whole for each of its 48
    configurations: 1.7 of a 6 s scan).  One with an error inside ``item``
    is not, since error recovery can differ from a fresh parse's."""
    where = (item.start_byte, item.end_byte)
    kept = reading.configuration_trees
    if kept is None or kept[0] != where:
        kept = reading.configuration_trees = (where, {})
    trees = kept[1]
    tree = trees.get(prepared)
    if tree is None:
        if len(prepared) == len(reading.parsed):
            edit = Edit(item.start_byte, item.end_byte, prepared[item.start_byte:item.end_byte])
            tree = reparse(reading.tree, reading.parsed, prepared, [edit])
            if tree.root_node.has_error and (not reading.root.has_error or errors_within(tree.root_node, *where)):
                tree = None
        tree = tree or parse(prepared)
        if sum(map(len, trees)) + len(prepared) <= _SHARED_BYTES:
            trees[prepared] = tree
    return tree


def finding(reading, key: int, tok: Node, plain: Finding) -> Optional[Finding]:
    """The site's finding from every configuration, or None to keep
    ``plain``; ``reading`` is the file's own Reading (codemod.engines.c.reading)."""
    item = variants.top_item(reading.root, tok)
    if reading.root.type == "ERROR":
        item = reading.root          # tree-sitter gave up on the whole file (a brace too many somewhere)
    lo, hi = item.start_byte, item.end_byte
    alone = False
    if item.type == "ERROR":
        # The function holding the site, read on its own: the rest of the
        # ERROR region (other functions tree-sitter lost its way in) is blanked.
        lo, hi = variants.function_lines(reading.parsed, tok.start_byte, lo, hi)
        alone = (lo, hi) != (item.start_byte, item.end_byte)
    base = preproc.Config.of(reading.options)
    text = reading.parsed[lo:hi]
    if any(r.kind == "configured-branch" for r in plain.reasons):
        # The child holds a branch only the given configuration decides:
        # every configuration of the item is analysed, the given one too.
        base, text = preproc.Config(), reading.source[lo:hi]
        if reading.blanked is not None and any(a < lo < b or a < hi < b for a, b in reading.blanked.groups):
            return None
    tested = variants.atoms(text, base)
    at = line(tok)
    if tested is None:
        return replace(plain, reasons=plain.reasons + (R("configurations-complex", at),))
    if not tested and not alone:
        return None
    n = variants.count(tested)
    if n > MAX_CONFIGURATIONS:
        return replace(plain, reasons=plain.reasons + (R("configurations-too-many", at, n=f"{n:,}",
                                                         most=MAX_CONFIGURATIONS),))
    configs = list(variants.assignments(tested))
    results = []        # (description, finding, site, decision) where the site exists
    missing = 0
    for description, defines, undefines in configs:
        config = preproc.Config({**base.defines, **defines}, base.undefines | undefines)
        blanked = preproc.blank(text, config) if tested else preproc.Blanked(text, [])
        if blanked is None:
            return None     # conditionals that do not balance inside the item
        if alone:
            prepared = reading.parsed[:item.start_byte] + variants.blanks(reading.parsed[item.start_byte:lo]) + blanked.text \
                + variants.blanks(reading.parsed[hi:item.end_byte]) + reading.parsed[item.end_byte:]
        else:
            prepared = reading.parsed[:lo] + blanked.text + reading.parsed[hi:]
        sub = reading.configuration(prepared, _parse(reading, prepared, item))
        hit = sub.only(tok.start_byte)
        hit = hit if hit is not None and (hit.line, hit.column) == (plain.line, plain.column) else None
        if hit is None or tok.start_byte not in sub.decisions:
            missing += 1
            continue
        site, decision = sub.decisions[tok.start_byte]
        results.append((description, hit, site, decision, sub))
    if not results:
        return None
    for description, hit, *_ in results:
        if hit.verdict is Verdict.REVIEW or hit.verdict is Verdict.NOTE:
            first = hit.reasons[0] if hit.reasons else None
            why = first.text if first is not None else hit.message
            reasons = (R("configuration-needs-review", first.line if first else at, config=description, why=why),) \
                + tuple(r for r in hit.reasons[1:]) if tested else \
                tuple(hit.reasons) + (R("read-alone", at, start=reading.source.count(b"\n", 0, lo) + 1,
                                        end=reading.source.count(b"\n", 0, hi)),)
            return replace(plain, message=f"needs review: {reasons[0].text}", reasons=reasons, fix=None)
    names = "; ".join(d for d, *_ in results)
    elsewhere = f"; in {missing} more it is not compiled" if missing else ""
    proven = R("configurations-proven", at, configs=names, elsewhere=elsewhere) if tested else \
        R("read-alone", at, start=reading.source.count(b"\n", 0, lo) + 1, end=reading.source.count(b"\n", 0, hi))
    first = results[0][1]
    if not missing and all(h.verdict is Verdict.SPAWN and h.fix is not None and first.fix is not None
                           and h.fix.edits == first.fix.edits for _, h, *_ in results):
        return replace(first, reasons=first.reasons + (proven,))
    edits: dict = {}
    reasons = [proven]
    for _, hit, site, decision, sub in results:
        if decision.child is None or decision.child.handoffs:
            return replace(plain, reasons=plain.reasons + (R("configurations-handoff", at),))
        fork_edits, _ = fork.edits(site, decision.child)
        for e in fork_edits:
            edits[(e.start, e.end, e.text)] = e
        reasons += [r for r in hit.reasons if r.kind in ("exit-becomes-_exit", "err-becomes-warn") and r not in reasons]
    ordered = sorted(edits.values(), key=lambda e: (e.start, e.end))
    if any(a.overlaps(b) for a, b in zip(ordered, ordered[1:])):
        return replace(plain, reasons=plain.reasons + (R("configurations-conflict", at),))
    needs = frozenset({"unistd.h"}) if any(e.text == b"_exit" or b"_exit(" in e.text for e in ordered) else frozenset()
    fix = Fix(Verdict.FORK.info.applicability, key, tuple(ordered), needs, target="fork")
    return replace(plain, verdict=Verdict.FORK, message=f"fixable with fork: {proven.text}",
                   reasons=tuple(reasons), fix=fix)



