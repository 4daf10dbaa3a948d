"""The rewrite interface: a decision in, a finding with its edits out.

A rewrite is one module of this package defining a :class:`Rewrite`
subclass decorated with :func:`rewrite`.  Its ``rule`` is its row in
codemod.core.kinds (rule id, level, colour, fix text, example: what
every output says about it).  The engine asks each registered rewrite, in
``priority`` order, whether it ``applies`` to a site's decision, and the
first that does makes the finding.  Adding a rewrite kind is a row module
in codemod.core.kinds, a module here and its golden cases."""
from __future__ import annotations

import importlib
import pkgutil
from codemod.core.model import Finding, KindInfo, Verdict

_REGISTERED: list = []
_LOADED: list = []         # [True] once every module of the package is imported


class Rewrite:
    """One kind of rewrite of a C vfork site."""

    rule: KindInfo         # its row in codemod.core.kinds
    priority: int = 50     # asked before rewrites with a higher number

    def applies(self, decision) -> bool:
        """Whether this rewrite makes the finding of ``decision``
        (codemod.core.region.Decision)."""
        raise NotImplementedError

    def check(self, root, site, child) -> None:
        """After the child's analysis, before the verdict: add review
        reasons to ``child.review`` for what this rewrite could not carry
        (the hand-off's variable types).  Most rewrites need nothing."""

    def place(self, target, site, child) -> tuple:
        """For the rewrite the verdict ladder tries (posix_spawn): (edits,
        None), or (None, the reason the code cannot be placed)."""
        raise NotImplementedError

    def finding(self, target, finding: Finding, key: int, site, decision) -> Finding:
        """``finding`` (position and verdict set) with its message, reasons
        and fix; ``key`` identifies the fix within the file; ``target`` is
        the file's :class:`codemod.engines.c.rewrite.target.Target`."""
        raise NotImplementedError


def rewrite(cls):
    """Register a :class:`Rewrite` subclass (one instance per process)."""
    _REGISTERED.append(cls())
    return cls


def rewrites() -> list:
    """Every rewrite of this package, in priority order."""
    if not _LOADED:
        import codemod.engines.c.rewrite as package
        for module in pkgutil.iter_modules(package.__path__):
            importlib.import_module(f"{package.__name__}.{module.name}")
        _LOADED.append(True)
    return sorted(_REGISTERED, key=lambda r: (r.priority, r.rule.order))


def choose(decision) -> Rewrite:
    """The rewrite that makes the finding of ``decision``."""
    return next(r for r in rewrites() if r.applies(decision))


def spawning() -> Rewrite:
    """The rewrite the verdict ladder tries for a child whose set-up maps
    onto posix_spawn (its ``place``)."""
    return next(r for r in rewrites() if r.rule.verdict is Verdict.SPAWN)
