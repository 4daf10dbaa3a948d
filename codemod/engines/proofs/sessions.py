"""Session and process group: choose POSIX_SPAWN_SETSID / SETPGROUP so the
started program lands where the child's own setsid()/setpgid() put it.

posix_spawn always applies SETSID before SETPGROUP and fails the whole
spawn if either call fails (glibc ``spawni.c`` 2.26-2.42, musl).  The
child runs its calls in its own order and, in C, goes on when one fails.
So ``setsid(); setpgid(0, 0);`` leaves the child a session leader (the
setpgid fails with EPERM and is ignored), while SETSID|SETPGROUP would fail.
:func:`solve` simulates both in every case that matters (each group
argument naming no group, an existing group, or 0) and picks the flags that
agree everywhere, dropping calls that always fail and that the child ignores.

Facts used (Linux setsid(2), setpgid(2)): a fresh child is no group leader,
so its setsid() succeeds; setsid() fails for a group leader; setpgid()
fails for a session leader; setpgid(0, 0) makes the caller a group leader.
"""
from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Optional, Union


@dataclass(frozen=True)
class Setsid:
    """``setsid()`` in the child; ``checked``: its failure ends the child."""

    line: int
    stmt: str
    checked: bool = False


@dataclass(frozen=True)
class Setpgid:
    """``setpgid(0, group)``; ``group`` is "0" or the expression's text."""

    group: str
    line: int
    stmt: str
    checked: bool = False


Step = Union[Setsid, Setpgid]


@dataclass(frozen=True)
class Plan:
    """The session and process-group flags posix_spawn gets, or why none agree."""

    setsid: bool
    pgroup: Optional[str]       # the SETPGROUP argument, or None
    dropped: tuple = ()         # (line, reason) of calls left out
    reason: str = ""            # when no flags agree: why
    line: int = 0

    @property
    def exact(self) -> bool:
        return not self.reason


STOPPED = "no exec"
FAILED = "spawn fails"
WORLD_KINDS = ("zero", "existing", "none")    # what a group argument names at run time


def _child(steps, world: dict, python: bool):
    session, group = "parent", "parent"
    for s in steps:
        if isinstance(s, Setsid):
            ok = group != "own"
            if ok:
                session, group = "new", "own"
        else:
            kind = "zero" if s.group == "0" else world[s.group]
            ok = session != "new" and kind != "none"
            if ok:
                group = "own" if kind == "zero" else ("joined", s.group)
        if not ok and (s.checked or python):
            return STOPPED
    return session, group


def _spawn(setsid: bool, pgroup: Optional[str], world: dict):
    session, group = "parent", "parent"
    if setsid:
        session, group = "new", "own"
    if pgroup is not None:
        kind = "zero" if pgroup == "0" else world[pgroup]
        if session == "new" or kind == "none":
            return FAILED
        group = "own" if kind == "zero" else ("joined", pgroup)
    return session, group


def _agrees(steps, setsid, pgroup, python: bool):
    """The first world where they differ, or None."""
    names = sorted({s.group for s in steps if isinstance(s, Setpgid) and s.group != "0"})
    for kinds in itertools.product(WORLD_KINDS, repeat=len(names)):
        world = dict(zip(names, kinds))
        child = _child(steps, world, python)
        spawned = _spawn(setsid, pgroup, world)
        if child == STOPPED:
            if spawned != FAILED:
                return world, child, spawned
        elif child != spawned:
            return world, child, spawned
    return None


def solve(steps: tuple, language: str = "c") -> Plan:
    """The flags for the child's setsid()/setpgid() steps (in order)."""
    python = language == "python"
    if not steps:
        return Plan(False, None)
    wants_sid = any(isinstance(s, Setsid) for s in steps)
    groups = [s.group for s in steps if isinstance(s, Setpgid)]
    literal = (wants_sid, groups[-1] if groups else None)
    candidates = [literal, (wants_sid, None), (False, groups[-1] if groups else None)]
    candidates += [(False, g) for g in reversed(groups)] + [(False, None)]
    for setsid, pgroup in dict.fromkeys(candidates):
        if _agrees(steps, setsid, pgroup, python) is None:
            return Plan(setsid, pgroup, _dropped(steps, setsid, pgroup))
    world, child, spawned = _agrees(steps, *literal, python)
    return _why(steps, literal, world, child, spawned, python)


def _dropped(steps, setsid: bool, pgroup: Optional[str]) -> tuple:
    out = []
    sid_line = next((s.line for s in steps if isinstance(s, Setsid)), None)
    for s in steps:
        if isinstance(s, Setsid) and not setsid:
            out.append((s.line, f"`{s.stmt}` after `setpgid(0, 0)` always fails (a process group leader "
                                "cannot start a session) and the child goes on: left out, since posix_spawn "
                                "would fail the whole spawn"))
        elif isinstance(s, Setpgid) and s.group != pgroup:
            if setsid and sid_line is not None and s.line > sid_line:
                out.append((s.line, f"`{s.stmt}` after `setsid()` always fails (a session leader cannot "
                                    "change its process group) and the child goes on: left out, since "
                                    "posix_spawn would fail the whole spawn"))
            else:
                out.append((s.line, f"`{s.stmt}` is undone by the `setsid()` after it (which starts a new "
                                    "group): left out"))
    return tuple(out)


def _why(steps, literal, world, child, spawned, python) -> Plan:
    sid = next((s for s in steps if isinstance(s, Setsid)), None)
    pg = next((s for s in steps if isinstance(s, Setpgid) and s.group != "0"), None)
    if pg is not None and world.get(pg.group) == "none" and child != STOPPED:
        return Plan(False, None, reason=(
            f"`{pg.stmt}` fails at run time when `{pg.group}` names no process group of this session "
            "(EPERM); the child ignores that and execs anyway, where posix_spawn would fail the whole "
            "spawn (check it, `if (setpgid(...) < 0) _exit(127);`, to allow posix_spawn)"), line=pg.line)
    if pg is not None and world.get(pg.group) == "zero":
        return Plan(False, None, reason=(
            f"when `{pg.group}` is 0, `{pg.stmt}` makes the child a group leader and the `setsid()` at "
            f"line {sid.line if sid else pg.line} then fails; no choice of posix_spawn flags does the same "
            "in every case"), line=pg.line)
    first = steps[0]
    return Plan(False, None, reason=(
        f"`{first.stmt}` and the calls after it leave the child in a session and process group that "
        "posix_spawn's fixed order (setsid, then setpgid) cannot reproduce in every case"), line=first.line)
