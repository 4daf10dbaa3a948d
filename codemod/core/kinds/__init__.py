"""The kinds of finding, one module each: a module's ``RULE`` is its
:class:`codemod.core.model.KindInfo` row (rule id, verdict, title, help,
SARIF level, colour, applicability, fix text, the before/after example and
the reason kinds only it uses).  Every output reads the rows here: `rule`,
docs/rules.md, SARIF, the GitHub commands, the text report's colours and
the patches of `review`.  Adding a kind is adding a module; its rewrite in
an engine names it in ``Fix.kind`` (the C engine's rewrites:
codemod.engines.c.rewrite)."""
from __future__ import annotations

import importlib
import pkgutil


def collect() -> tuple:
    """The ``RULE`` of every module of this package, in report order."""
    found = [importlib.import_module(f"{__name__}.{m.name}").RULE for m in pkgutil.iter_modules(__path__)]
    return tuple(sorted(found, key=lambda row: (row.order, row.rule)))


ROWS = collect()
KINDS = {row.rule: row for row in ROWS}                        # in the reports' rule order
DEFAULT_RULES = {row.verdict: row.rule for row in reversed(ROWS)}   # the first row of each verdict
