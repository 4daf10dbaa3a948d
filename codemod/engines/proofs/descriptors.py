"""Descriptor set-up: prove that posix_spawn file actions leave the started
program the same descriptors as the child's own close/dup2/open calls.

The child's set-up is a list of *steps*; :func:`prove` translates it into
file actions and then runs both, concretely, in every starting state that
matters:

* each descriptor number the steps name (and 0, 1, 2 when the child opens a
  file, because ``open`` returns the lowest free one) closed, open, or open
  with close-on-exec;
* each descriptor variable placed on one of those numbers or on a number of
  its own, as far as the code before vfork allows (a checked ``pipe()``
  gives two distinct open descriptors; a parameter can be anything,
  closed or invalid included);
* each ``open`` succeeding or failing;
* the posix_spawn implementations in use: ``addopen`` closing the target
  first (glibc 2.26 and later) or not (glibc 2.24-2.25, musl), and
  ``adddup2`` with equal descriptors clearing close-on-exec (glibc 2.29 and
  later, musl) or doing nothing (older glibc).

The rewrite is exact when, in every state, a child that reaches exec and
the spawned program end up with the same open descriptors (which object
each refers to, after close-on-exec), and a child that does not reach exec
matches a spawn that fails.  The child's semantics are a parameter: in C a
failing call the child does not check is ignored; in Python every failing
call raises, so the child never reaches exec.

Sources: glibc ``sysdeps/unix/sysv/linux/spawni.c`` (2.24-2.42) and
``posix/spawn_faction_*.c``; musl ``src/process/posix_spawn.c``.
"""
from __future__ import annotations

import functools
import itertools
from dataclasses import dataclass
from typing import Optional, Union

FRESH = 100          # numbers of descriptors that are none of the named ones
INVALID = -1         # a "descriptor" such as -1 from an unchecked failure
MAX_WORLDS = 50_000  # beyond this the proof gives up (and says so)


@dataclass(frozen=True)
class Fd:
    """A descriptor expression as written, with its value when constant."""

    text: str
    value: Optional[int] = None


@dataclass(frozen=True)
class Origin:
    """What the code before vfork proves about a descriptor variable: it is
    open, with this close-on-exec state (None: cannot tell); descriptors of
    one ``group`` (one pipe()) are distinct from each other, and so are all
    descriptors open at the same time."""

    cloexec: Optional[bool]
    line: int
    how: str


# -- the child's steps -------------------------------------------------------

@dataclass(frozen=True)
class Close:
    """``close(fd)`` in the child."""

    fd: Fd
    line: int
    stmt: str
    checked: bool = False       # failure ends the child (C: `if (close(fd) < 0) _exit(1);`)


@dataclass(frozen=True)
class Dup2:
    """``dup2(src, dst)`` in the child."""

    src: Fd
    dst: Fd
    line: int
    stmt: str
    checked: bool = False


@dataclass(frozen=True)
class Open:
    """``var = open(...)``: the lowest free descriptor, or a failure."""

    var: str
    line: int
    stmt: str
    cloexec: Optional[bool]     # O_CLOEXEC in the flags (None: cannot tell)
    checked: bool = False


@dataclass(frozen=True)
class ExitIfInvalid:
    """``if (fd < 0) _exit(...)`` after an open."""

    var: str
    line: int
    stmt: str


@dataclass(frozen=True)
class Guard:
    """``if (var != target) { body }``."""

    var: str
    target: Fd
    body: tuple
    line: int
    stmt: str


@dataclass(frozen=True)
class CloseAbove:
    """``if (var > bound) close(var);``."""

    var: str
    bound: int
    line: int
    stmt: str


Step = Union[Close, Dup2, Open, ExitIfInvalid, Guard, CloseAbove]


# -- posix_spawn file actions ------------------------------------------------

# ``checked``: the action comes from a checked call, so the generated code
# treats a failing posix_spawn_file_actions_add* (a negative descriptor) as
# a failed spawn; unchecked actions ignore it, as the child ignores the call.

@dataclass(frozen=True)
class AddClose:
    """A ``posix_spawn_file_actions_addclose`` action (``step``: the child step it comes from)."""

    fd: Fd
    step: int
    checked: bool = False


@dataclass(frozen=True)
class AddDup2:
    """A ``posix_spawn_file_actions_adddup2`` action (``step``: the child step it comes from)."""

    src: Fd
    dst: Fd
    step: int
    checked: bool = False


@dataclass(frozen=True)
class AddOpen:
    """``addopen(dst, ...)`` of the file the child's open (at ``line``)
    opens, with close-on-exec stripped from the flags."""

    dst: Fd
    line: int
    step: int
    checked: bool = False


Action = Union[AddClose, AddDup2, AddOpen]


@dataclass(frozen=True)
class Proof:
    """The file actions, or why there are none: ``reason`` names the
    statement and what posix_spawn would do differently; ``line`` is its line."""

    actions: Optional[tuple]
    reason: str = ""
    line: int = 0

    @property
    def exact(self) -> bool:
        return self.actions is not None


# -- translation -------------------------------------------------------------

def translate(steps: tuple) -> tuple:
    """(actions, None) or (None, (line, reason)) when a step has no file action."""
    actions: list = []
    i = 0
    while i < len(steps):
        s = steps[i]
        if isinstance(s, Close):
            actions.append(AddClose(s.fd, i, s.checked))
        elif isinstance(s, Dup2):
            if s.src.text != s.dst.text or s.src.value != s.dst.value:
                actions.append(AddDup2(s.src, s.dst, i, s.checked))
            # dup2(fd, fd) changes nothing in the child: no action.
        elif isinstance(s, Open):
            group, problem = _open_group(steps, i)
            if problem:
                return None, problem
            end, target, extra = group
            checked = any(getattr(x, "checked", False) for x in steps[i:end + 1])
            actions.append(AddOpen(target, s.line, end, checked))
            actions += [AddDup2(target, d, end, checked) for d in extra]
            i = end
        else:
            return None, (s.line, f"`{s.stmt}` is not posix_spawn set-up")
        i += 1
    return tuple(actions), None


def _open_group(steps: tuple, i: int) -> tuple:
    """``open``, an optional check, then the descriptor moved and closed:
    ``dup2(fd, n); [dup2(fd, m); ...] close(fd)`` (or ``if (fd > 2) close(fd)``),
    or ``if (fd != n) { dup2(fd, n); close(fd); }``.  Returns
    ((index of the last step, target, [further targets]), None) or (None, problem)."""
    op = steps[i]
    var = op.var
    j = i + 1
    if j < len(steps) and isinstance(steps[j], ExitIfInvalid) and steps[j].var == var:
        j += 1
    bad = (op.line, f"the descriptor `{var}` from `{op.stmt}` is not moved with dup2 and closed right "
                    "after it is opened, which is what posix_spawn_file_actions_addopen does")
    if j < len(steps) and isinstance(steps[j], Guard) and steps[j].var == var:
        g = steps[j]
        body = g.body
        if len(body) == 2 and isinstance(body[0], Dup2) and _is(body[0].src, var) and body[0].dst == g.target \
                and isinstance(body[1], Close) and _is(body[1].fd, var):
            return (j, g.target, []), None
        return None, bad
    targets = []
    while j < len(steps) and isinstance(steps[j], Dup2) and _is(steps[j].src, var) and not _is(steps[j].dst, var):
        targets.append(steps[j].dst)
        j += 1
    if not targets or j >= len(steps):
        return None, bad
    last = steps[j]
    if isinstance(last, Close) and _is(last.fd, var) or isinstance(last, CloseAbove) and last.var == var:
        return (j, targets[0], targets[1:]), None
    return None, bad


def _is(fd: Fd, var: str) -> bool:
    return fd.value is None and fd.text == var


# -- the proof ---------------------------------------------------------------

@functools.lru_cache(maxsize=4096)
def prove(steps: tuple, origins: tuple, language: str = "c") -> Proof:
    """Translate ``steps`` and prove the actions exact.  ``origins`` is a
    tuple of (variable text, Origin) for descriptor variables the code
    before vfork shows to be open; ``language`` is "c" (unchecked failures
    are ignored) or "python" (every failure raises in the child)."""
    actions, problem = translate(steps)
    if problem:
        return Proof(None, problem[1], problem[0])
    known = dict(origins)
    worlds = _worlds(steps, known)
    if worlds is None:
        return Proof(None, "the descriptor set-up has too many starting states to prove exact",
                     steps[0].line if steps else 0)
    variants = _variants(actions)
    for world in worlds:
        child = _Child(world, language).run(steps)
        for variant in variants:
            spawned = _Spawn(world, language, variant).run(actions)
            if not _same(child, spawned):
                line, reason = _explain(steps, actions, world, variant, language, known)
                return Proof(None, reason, line)
    return Proof(actions)


def _variants(actions: tuple) -> list:
    """(addopen closes the target first, adddup2 of equal descriptors clears
    close-on-exec): only the choices the actions can tell apart."""
    opens = any(isinstance(a, AddOpen) for a in actions)
    dups = any(isinstance(a, AddDup2) for a in actions)
    return list(itertools.product((True, False) if opens else (True,), (True, False) if dups else (True,)))


@dataclass(frozen=True)
class World:
    """One state the proof runs both sides from: the descriptors open at vfork and the variables' values."""

    table: tuple          # ((number, object, cloexec), ...) open at vfork
    values: tuple         # ((variable text, number), ...)
    failing: frozenset    # lines of opens that fail
    open_cloexec: tuple   # ((line, cloexec), ...) of the child's opens


def _constants(steps) -> set:
    out = set()
    for s in flatten(steps):
        for fd in descriptors_of(s):
            if fd.value is not None:
                out.add(fd.value)
    if any(isinstance(s, Open) for s in flatten(steps)):
        out |= {0, 1, 2}
    return out


def flatten(steps):
    """Every step, those inside guards included, in order."""
    for s in steps:
        yield s
        if isinstance(s, Guard):
            yield from flatten(s.body)


def descriptors_of(s) -> tuple:
    """The descriptors one step names (a guard: the one it tests)."""
    if isinstance(s, Close):
        return (s.fd,)
    if isinstance(s, Dup2):
        return (s.src, s.dst)
    if isinstance(s, Guard):
        return (s.target,)
    return ()


def _worlds(steps: tuple, known: dict):
    """Every starting state, or None when there are too many."""
    numbers = sorted(_constants(steps))
    opened = {s.var for s in flatten(steps) if isinstance(s, Open)}
    variables = []
    for s in flatten(steps):
        for fd in descriptors_of(s):
            if fd.value is None and fd.text not in opened and fd.text not in variables:
                variables.append(fd.text)
    fails = [s.line for s in flatten(steps) if isinstance(s, Open)]
    ce_of_open = {s.line: s.cloexec for s in flatten(steps) if isinstance(s, Open)}
    # Filler: numbers below the largest named one that no step names are open
    # and untouched, so "the lowest free descriptor" is a named one or the next.
    top = max(numbers, default=-1)
    filler = tuple((n, f"other{n}", False) for n in range(top + 1) if n not in numbers)
    per_number = [[None, False, True] for _ in numbers]
    count = 0
    out = []
    for combo in itertools.product(*per_number):
        table = {n: (f"fd{n}", ce) for n, ce in zip(numbers, combo) if ce is not None}
        for placement in _placements(variables, known, numbers, table):
            for failing in itertools.product((False, True), repeat=len(fails)):
                for open_ce in itertools.product(*[(c,) if c is not None else (False, True)
                                                   for c in (ce_of_open[line] for line in fails)]):
                    count += 1
                    if count > MAX_WORLDS:
                        return None
                    full = dict(table)
                    values = {}
                    for text, (number, ce) in placement.items():
                        values[text] = number
                        if number >= FRESH and ce is not None:
                            full[number] = (f"var:{text}", ce)
                    rows = tuple(sorted((n, o, c) for n, (o, c) in full.items())) + filler
                    out.append(World(rows, tuple(sorted(values.items())),
                                     frozenset(line for line, f in zip(fails, failing) if f),
                                     tuple(zip(fails, open_ce))))
    return out


def _placements(variables: list, known: dict, numbers: list, table: dict):
    """Assignments text -> (number, cloexec) for the descriptor variables.
    ``cloexec`` is None for a number the table already describes (or a
    closed one)."""
    if not variables:
        yield {}
        return
    fresh = itertools.count(FRESH)
    options = []
    for text in variables:
        origin = known.get(text)
        opts = []
        if origin is not None:
            ces = (origin.cloexec,) if origin.cloexec is not None else (False, True)
            for n in numbers:
                if n in table and table[n][1] in ces:
                    opts.append(("at", n))
            number = next(fresh)
            opts += [("fresh", number, ce) for ce in ces]
        else:
            opts += [("at", n) for n in numbers]
            number = next(fresh)
            opts += [("fresh", number, False), ("fresh", number, True), ("closed", number), ("invalid",)]
            opts += [("same", other) for other in variables[: variables.index(text)]]
        options.append(opts)
    for combo in itertools.product(*options):
        out, used = {}, set()
        ok = True
        for text, opt in zip(variables, combo):
            if opt[0] == "at":
                number, ce = opt[1], None
            elif opt[0] == "fresh":
                number, ce = opt[1], opt[2]
            elif opt[0] == "closed":
                number, ce = opt[1], None
            elif opt[0] == "invalid":
                number, ce = INVALID, None
            else:
                number, ce = out[opt[1]]
                out[text] = (number, None)
                continue
            if known.get(text) is not None:
                # Descriptors open at the same time have different numbers.
                if number in used:
                    ok = False
                    break
                used.add(number)
            out[text] = (number, ce)
        if ok:
            yield out


class _Process:
    """A concrete descriptor table: number -> (object, close-on-exec)."""

    def __init__(self, world: World, language: str):
        self.table = {n: (o, c) for n, o, c in world.table}
        self.values = dict(world.values)
        self.world = world
        self.python = language == "python"

    def value(self, fd: Fd) -> int:
        if fd.value is not None:
            return fd.value
        return self.values.get(fd.text, INVALID)

    def lowest_free(self) -> int:
        n = 0
        while n in self.table:
            n += 1
        return n

    def result(self):
        return frozenset((n, o) for n, (o, c) in self.table.items() if not c)


STOPPED = "no exec"
FAILED = "spawn fails"


class _Child(_Process):
    """The child's own calls, in order."""

    def run(self, steps: tuple, trace: Optional[list] = None):
        for i, step in enumerate(steps):
            outcome = self.step(step)
            if trace is not None:
                trace.append((i, outcome, dict(self.table)))
            if outcome == STOPPED:
                return STOPPED
        return self.result()

    def step(self, s) -> Optional[str]:
        if isinstance(s, Close):
            ok = self.close(self.value(s.fd))
            return self.failed(s.checked) if not ok else None
        if isinstance(s, Dup2):
            a, b = self.value(s.src), self.value(s.dst)
            if a < 0 or b < 0 or a not in self.table:
                return self.failed(s.checked)
            if a != b:
                self.table[b] = (self.table[a][0], False)
            return None
        if isinstance(s, Open):
            if s.line in self.world.failing:
                self.values[s.var] = INVALID
                return self.failed(s.checked)
            n = self.lowest_free()
            self.table[n] = (f"open@{s.line}", dict(self.world.open_cloexec)[s.line])
            self.values[s.var] = n
            return None
        if isinstance(s, ExitIfInvalid):
            return STOPPED if self.values.get(s.var, INVALID) < 0 else None
        if isinstance(s, Guard):
            if self.value(Fd(s.var)) != self.value(s.target):
                for inner in s.body:
                    outcome = self.step(inner)
                    if outcome == STOPPED:
                        return STOPPED
            return None
        if isinstance(s, CloseAbove):
            v = self.values.get(s.var, INVALID)
            if v > s.bound:
                self.close(v)
            return None
        raise TypeError(s)

    def close(self, n: int) -> bool:
        if n < 0 or n not in self.table:
            return False
        del self.table[n]
        return True

    def failed(self, checked: bool) -> Optional[str]:
        return STOPPED if checked or self.python else "ignored"


class _Spawn(_Process):
    """posix_spawn running the file actions (one implementation variant)."""

    def __init__(self, world: World, language: str, variant: tuple):
        super().__init__(world, language)
        self.close_first, self.equal_clears = variant

    def run(self, actions: tuple, trace: Optional[list] = None):
        for action in actions:
            ok = self.action(action)
            if trace is not None:
                trace.append((action.step, ok, dict(self.table)))
            if not ok:
                return FAILED
        return self.result()

    def added(self, a, *fds) -> Optional[bool]:
        """posix_spawn_file_actions_add* rejects a negative descriptor: the
        generated C code ignores that for an unchecked action (it is left
        out) and fails the spawn for a checked one; CPython raises."""
        if any(self.value(fd) < 0 for fd in fds):
            return False if self.python or a.checked else None
        return True

    def action(self, a) -> bool:
        if isinstance(a, AddClose):
            check = self.added(a, a.fd)
            if check is not True:
                return check is None
            self.table.pop(self.value(a.fd), None)      # errors ignored for in-range descriptors
            return True
        if isinstance(a, AddDup2):
            check = self.added(a, a.src, a.dst)
            if check is not True:
                return check is None
            src, dst = self.value(a.src), self.value(a.dst)
            if src not in self.table:
                return False
            if src == dst:
                if self.equal_clears:
                    self.table[src] = (self.table[src][0], False)
                return True
            self.table[dst] = (self.table[src][0], False)
            return True
        if isinstance(a, AddOpen):
            check = self.added(a, a.dst)
            if check is not True:
                return check is None
            if a.line in self.world.failing:
                return False
            dst = self.value(a.dst)
            if self.close_first:
                self.table.pop(dst, None)
            n = self.lowest_free()
            self.table[n] = (f"open@{a.line}", False)
            if n != dst:
                self.table[dst] = (f"open@{a.line}", False)
                del self.table[n]
            return True
        raise TypeError(a)


def _same(child, spawned) -> bool:
    if child == STOPPED:
        return spawned == FAILED
    return spawned != FAILED and child == spawned


# -- explaining a difference -------------------------------------------------

def _explain(steps, actions, world, variant, language, known) -> tuple:
    """(line, reason) for a world where child and spawn differ: the step
    after which they stopped agreeing, in words."""
    child_end = _Child(world, language).run(steps)
    spawn_end = _Spawn(world, language, variant).run(actions)
    culprit = _culprit(steps, actions, world, language, variant)
    unit = _unit_of(steps, culprit)
    return _words(steps[:culprit], unit, steps[culprit], child_end, spawn_end, world, language, known, steps)


def _culprit(steps, actions, world, language, variant) -> int:
    """The child step after which child and spawn last started to differ
    (each prefix of the steps is run against the actions made from it)."""
    last_equal = -1
    for i in range(len(steps)):
        c = _Child(world, language)
        c_end = c.run(steps[: i + 1])
        s = _Spawn(world, language, variant)
        s_end = s.run(tuple(a for a in actions if a.step <= i))
        c_state = STOPPED if c_end == STOPPED else frozenset(c.table.items())
        s_state = STOPPED if s_end == FAILED else frozenset(s.table.items())
        if c_state == s_state:
            last_equal = i
        elif c_end == STOPPED or s_end == FAILED:
            return i
    return min(last_equal + 1, len(steps) - 1)


def _unit_of(steps, i) -> int:
    """The index of the open() whose group holds step ``i`` (a group is
    explained as one), or ``i``."""
    for j in range(i, -1, -1):
        if isinstance(steps[j], Open):
            group, _ = _open_group(steps, j)
            end = group[0] if group else j
            return j if i <= end else i
    return i


def _words(before, unit, step, child_end, spawn_end, world, language, known, steps) -> tuple:
    """``before``: the steps before the culprit ``step``."""
    values = dict(world.values)
    u = steps[unit]
    if isinstance(u, Open):
        return u.line, _open_words(steps, unit, world, language)
    if isinstance(step, Dup2):
        dst = values.get(step.dst.text, step.dst.value)
        if spawn_end == FAILED and child_end != STOPPED:
            why = _not_open_why(step.src, before, known)
            return step.line, (f"`{step.stmt}` fails when `{step.src.text}` is not an open descriptor{why}; "
                               f"the child ignores that and execs anyway, where posix_spawn would fail the "
                               "whole spawn (check it, `if (dup2(...) < 0) _exit(127);`, to allow posix_spawn)")
        if child_end == STOPPED and spawn_end != FAILED:
            return step.line, (f"`{step.stmt}` fails when `{step.src.text}` is not an open descriptor"
                               f"{_not_open_why(step.src, before, known)}, so the child never reaches exec, "
                               "where posix_spawn would start the program")
        return step.line, (f"when `{step.src.text}` is descriptor {_num(step.dst, dst)} itself and close-on-exec, "
                           f"`{step.stmt}` does nothing and the descriptor is closed at exec, where posix_spawn's "
                           "adddup2 clears close-on-exec (glibc 2.29 and later, musl) and leaves it open")
    if isinstance(step, Close):
        return step.line, (f"`{step.stmt}` fails when `{step.fd.text}` is not open"
                           f"{_not_open_why(step.fd, before, known)}, so the child never reaches exec, where "
                           "posix_spawn ignores a close of a descriptor that is not open and would start the "
                           "program")
    return step.line, f"`{step.stmt}` does not translate exactly to a posix_spawn file action"


def _num(fd: Fd, value) -> str:
    return str(fd.value if fd.value is not None else value)


def _not_open_why(fd: Fd, before, known) -> str:
    for s in before:
        if isinstance(s, Close) and s.fd == fd:
            return f" (the child closes it at line {s.line})"
    if fd.value is not None:
        return f" (descriptor {fd.value} may be closed when vfork runs)"
    if fd.text not in known:
        return " (nothing before vfork shows that it is open)"
    return " (an earlier close in the child may have closed the same descriptor)"


def _open_words(steps, i, world, language) -> str:
    op = steps[i]
    end = i + 1
    while end < len(steps) and not isinstance(steps[end], (Close, CloseAbove)) and not (
            isinstance(steps[end], Guard) and steps[end].var == op.var):
        end += 1
    group = steps[i:end + 1]
    guard = next((s for s in group if isinstance(s, Guard)), None)
    if op.line in world.failing and not op.checked and language == "c" and not any(
            isinstance(s, ExitIfInvalid) for s in group):
        hint = f"check it, `if ({op.var} < 0) _exit(127);`"
        if guard is None:
            target = next((s.dst for s in group if isinstance(s, Dup2)), None)
            if target is not None:
                hint += f", and move it only `if ({op.var} != {target.text})`"
        return (f"`{op.stmt}` can fail at run time (a missing path, permissions, the descriptor limit); the "
                "child ignores that and execs anyway, where posix_spawn would fail the whole spawn "
                f"({hint}, to allow posix_spawn)")
    target = guard.target if guard is not None else next(
        (s.dst for s in group if isinstance(s, Dup2)), None)
    if target is None:
        return f"the descriptor from `{op.stmt}` stays open under a number posix_spawn cannot know"
    n = target.text
    if guard is not None:
        return (f"when `{op.stmt}` returns {n} itself, the guard skips the move and {n} keeps the "
                "close-on-exec flag it was opened with, so it is closed at exec, where posix_spawn's addopen "
                "leaves it open")
    if not any(isinstance(s, (Close, CloseAbove)) for s in group):
        return (f"the child leaves the descriptor from `{op.stmt}` open under the lowest free number, "
                "which posix_spawn cannot reproduce")
    hint = f" (move it only `if ({op.var} != {n})` to allow posix_spawn)" if language == "c" else ""
    return (f"when descriptor {n} is free and the lowest free one, `{op.stmt}` returns {n} itself and the "
            f"child's dup2 and close leave it closed, where posix_spawn's addopen opens it{hint}")
