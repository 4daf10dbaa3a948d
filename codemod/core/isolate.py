"""Run work in a forked child with a memory budget, so that what kills the
child (the kernel's OOM killer, a native crash, the address-space cap)
costs that work alone.

Used for each Python file (libcst's parser can crash or use gigabytes, see
:mod:`codemod.engines.py.guard`) and for each file of a chunk whose worker
process died, which is then analysed again on its own to tell which file
it was (:mod:`codemod.files.parallel`).
"""
from __future__ import annotations

import os
import pickle
import signal
from typing import Callable, NamedTuple, Optional


class Outcome(NamedTuple):
    """How the child ended: ``kind`` is "ok" (``value`` is the result),
    "memory" (MemoryError under the cap), "signal" (``detail`` names it)
    or "status" (``detail`` is the exit status)."""

    kind: str
    value: object = None
    detail: str = ""


def address_space() -> int:
    """This process's virtual size in bytes (0 when unknown)."""
    try:
        with open("/proc/self/statm") as fh:
            return int(fh.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def cap_memory(budget_mb: Optional[int]) -> None:
    """Let this process grow by at most ``budget_mb`` MB of address space
    (None: no cap); past it allocations fail (MemoryError in Python)."""
    current = address_space()
    if budget_mb and current:
        import resource
        limit = current + budget_mb * 1024 * 1024
        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def run(work: Callable[[], object], budget_mb: Optional[int]) -> Outcome:
    """``work()`` in a forked child allowed ``budget_mb`` more MB; where
    fork is missing, here."""
    if not hasattr(os, "fork"):          # pragma: no cover - POSIX only
        return Outcome("ok", work())
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:                                   # the child
        status = 0
        try:
            # A collection would touch every object the parent owns and copy
            # its pages; the child is short-lived and needs none.
            import gc
            gc.disable()
            os.close(read_end)
            signal.signal(signal.SIGINT, signal.SIG_IGN)
            import faulthandler
            faulthandler.disable()         # a crash here is expected and reported by the parent
            cap_memory(budget_mb)
            try:
                payload = pickle.dumps(("ok", work()))
            except MemoryError:
                payload = pickle.dumps(("memory", None))
            with os.fdopen(write_end, "wb") as out:
                out.write(payload)
        except BaseException:                       # noqa: BLE001 - nothing may escape a forked child
            status = 3
        finally:
            os._exit(status)
    os.close(write_end)
    chunks = []
    with os.fdopen(read_end, "rb") as inp:
        while True:
            chunk = inp.read(1 << 16)
            if not chunk:
                break
            chunks.append(chunk)
    _, status = os.waitpid(pid, 0)
    data = b"".join(chunks)
    if os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0 and data:
        kind, value = pickle.loads(data)
        return Outcome(kind, value)
    if os.WIFSIGNALED(status):
        return Outcome("signal", detail=signal.Signals(os.WTERMSIG(status)).name)
    return Outcome("status", detail=str(os.WEXITSTATUS(status)))
