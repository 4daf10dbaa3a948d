"""A status line on standard error while a run walks and analyses.

Drawn only when standard error is a terminal, and only once the run has
taken more than :data:`DELAY` seconds (short runs stay quiet); redrawn by a
thread every :data:`INTERVAL` seconds, so it moves while one long analysis
holds the main thread:

    vfork-codemod: analysing: 29,412 files walked, 37 analysed; gdb/infrun.c: 6 s so far
    vfork-codemod: learning the project: 29,412 files walked, 52 analysed, 118 read

The stage comes first (:func:`stage`): walking, analysing, learning the
project (the index reading definitions), then analysing again what the
index changed.

Work reports itself with :func:`busy` (a context manager, a no-op when no
line is drawn).  Worker processes forward their start and end events to the
line through a queue (:func:`forward_to`); the line names the file that has
run longest once it passes :data:`SLOW` seconds.
"""
from __future__ import annotations

import contextlib
import os
import threading
import time
from typing import Optional

DELAY = 1.0
INTERVAL = 0.5
SLOW = 3.0

_LINE: Optional["Line"] = None      # the line this process draws, or None
_QUEUE = None                       # in a worker: where its events go
_DRAWN = False                      # a line was drawn in this process


class Line:
    """The status line: counts, the files being analysed, and the thread drawing it."""

    def __init__(self, stream, events=None):
        self.stream = stream
        self.events = events          # a multiprocessing queue the workers write to, or None
        self.walked = 0
        self.analysed = 0
        self.read = 0                 # files the project index read
        self.stage = "walking"
        self.running: dict = {}       # what -> since (time.monotonic())
        self.start = time.monotonic()
        self.drawn = False
        self.lock = threading.Lock()
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._loop, name="vfork-codemod progress", daemon=True)
        self.thread.start()

    def begin(self, what: str, counted: bool = True) -> None:
        with self.lock:
            self.running[what] = time.monotonic()
            if counted and self.stage == "walking":
                self.stage = "analysing"          # a worker's first file

    def end(self, what: str, counted: bool = True) -> None:
        with self.lock:
            self.running.pop(what, None)
            self.analysed += counted
            self.read += not counted

    def text(self, now: float, width: int = 80) -> str:
        """The line, at most ``width`` - 1 characters (a slow file's name
        loses its start first)."""
        from codemod.core import display
        with self.lock:
            line = f"vfork-codemod: {self.stage}: {self.walked:,} files walked, {self.analysed:,} analysed" + \
                (f", {self.read:,} read" if self.read else "")
            slow = ""
            if self.running:
                what, since = min(self.running.items(), key=lambda kv: kv[1])
                if now - since >= SLOW:
                    name, tail = display.path(what), f": {now - since:.0f} s so far"
                    room = width - 1 - len(line) - 2 - len(tail)
                    if len(name) > room:
                        name = "…" + name[len(name) - max(room - 1, 8):]
                    slow = f"; {name}{tail}"
        return (line + slow)[: max(10, width - 1)]

    def _drain(self) -> None:
        while self.events is not None and not self.events.empty():
            kind, what, counted = self.events.get()
            if kind == "begin":
                self.begin(what, counted)
            else:
                self.end(what, counted)

    def _loop(self) -> None:
        while not self.stop.wait(INTERVAL if self.drawn else min(INTERVAL, DELAY)):
            self._drain()
            now = time.monotonic()
            if now - self.start >= DELAY:
                self._draw(self.text(now, _columns(self.stream)))

    def _draw(self, text: str) -> None:
        global _DRAWN
        try:
            self.stream.write("\r" + text + "\x1b[K")
            self.stream.flush()
            self.drawn = _DRAWN = True
        except (OSError, ValueError):
            self.stop.set()

    def close(self) -> None:
        """Stop drawing and clear the line."""
        self.stop.set()
        self.thread.join()
        self._drain()
        if self.drawn:
            self._draw(self.text(time.monotonic(), _columns(self.stream)))   # the final counts, then away
            try:
                self.stream.write("\r\x1b[K")
                self.stream.flush()
            except (OSError, ValueError):
                pass


def _columns(stream) -> int:
    try:
        columns = os.get_terminal_size(stream.fileno()).columns
    except (OSError, ValueError, AttributeError):
        columns = 0
    return columns if columns > 0 else 80      # a terminal that does not say


@contextlib.contextmanager
def shown(stream, enabled: bool):
    """The status line on ``stream`` for the duration, when ``enabled`` and
    ``stream`` is a terminal; yields it (or None)."""
    global _LINE
    if not enabled or not (hasattr(stream, "isatty") and stream.isatty()):
        yield None
        return
    import multiprocessing
    methods = multiprocessing.get_all_start_methods()
    events = multiprocessing.get_context("fork").SimpleQueue() if "fork" in methods else None
    _LINE = Line(stream, events)
    try:
        yield _LINE
    finally:
        line, _LINE = _LINE, None
        line.close()


def drawn() -> bool:
    """Whether this process drew a status line (its output then holds
    the line's redraws)."""
    return _DRAWN


def stage(name: str) -> None:
    """The run is now ``name`` ("analysing", "learning the project")."""
    if _LINE is not None:
        with _LINE.lock:
            _LINE.stage = name


def walked(count: int) -> None:
    """``count`` more files walked."""
    if _LINE is not None:
        _LINE.walked += count


def forward_to_parent() -> None:
    """In a forked worker: send events to the parent's line (if it draws one)."""
    global _LINE, _QUEUE
    if _LINE is not None and _LINE.events is not None:
        _QUEUE = _LINE.events
    _LINE = None                      # the parent's thread does not run here


@contextlib.contextmanager
def busy(what: str, counted: bool = True):
    """Working on ``what`` (a path as shown): named when slow, and counted
    as analysed at the end unless ``counted`` is False (the project index
    reading a definition)."""
    if _LINE is not None:
        _LINE.begin(what, counted)
        try:
            yield
        finally:
            _LINE.end(what, counted)
    elif _QUEUE is not None:
        _QUEUE.put(("begin", what, counted))
        try:
            yield
        finally:
            _QUEUE.put(("end", what, counted))
    else:
        yield
