"""Parse and analyse a Python file in a short-lived child process.

libcst's native parser crashes the whole process on some inputs (a few
thousand nested brackets, a long `or` chain) and can use gigabytes of
memory on others.  The analysis of each Python file therefore runs in a
forked child whose address space is capped; the parent reads the pickled
result from a pipe.  A child that crashes or runs out of its budget costs
that file alone: it is reported as an error naming the limit.
"""
from __future__ import annotations

import os
import pickle
import signal
from typing import Callable

BUDGET_HELP = "--max-parse-memory"


def _address_space() -> int:
    """This process's virtual size in bytes (0 when unknown)."""
    try:
        with open("/proc/self/statm") as fh:
            return int(fh.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def run_isolated(work: Callable[[], object], budget_mb: int, failed: Callable[[str], object]):
    """``work()`` in a forked child allowed ``budget_mb`` more MB of address
    space; its result, or ``failed(reason)`` when the child dies."""
    if not hasattr(os, "fork"):          # pragma: no cover - POSIX only
        return work()
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
            current = _address_space()
            if current:
                import resource
                limit = current + budget_mb * 1024 * 1024
                resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
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
        if kind == "ok":
            return value
        return failed(f"parsing it needs more than the {budget_mb} MB allowed ({BUDGET_HELP}); "
                      "deeply nested brackets or very long expressions")
    if os.WIFSIGNALED(status):
        name = signal.Signals(os.WTERMSIG(status)).name
        return failed(f"the Python parser (libcst) crashed on it ({name}), usually on deeply nested brackets "
                      f"or very long expressions, or it ran out of the {budget_mb} MB allowed ({BUDGET_HELP})")
    return failed(f"the analysis stopped unexpectedly (exit status {os.WEXITSTATUS(status)})")
