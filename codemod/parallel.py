"""Run the engines over many files, in worker processes when it pays.

The main process walks the tree and hands out batches of folders; workers
read, prefilter and analyse, and send back only the files with something to
report.  Results are put back in walk order, so the output is the same for
any number of jobs.
"""
from __future__ import annotations

import os
from typing import Iterable

from codemod.runner import FileResult, RunOptions, Status, process_source

BATCH = 512          # files per prefilter task
BUFFER = 1 << 20     # initial read buffer; grows for larger files


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


_BUF = None


def prefilter(groups: list, needles: tuple) -> tuple:
    """(files read, [(position, path, display, language)] of files that
    mention a needle, [(position, FileResult)] for files that cannot be read).

    The hot loop: one open, one read into a reused buffer and one search per
    file; nothing is allocated for the files that do not match."""
    global _BUF
    if _BUF is None:
        _BUF = bytearray(BUFFER)
    buf = _BUF
    view = memoryview(buf)
    single = needles[0] if len(needles) == 1 else None
    flags = os.O_RDONLY | getattr(os, "O_CLOEXEC", 0)
    count, hits, errors = 0, [], []
    for base, prefix, files in groups:
        for name, lang in files:
            count += 1
            try:
                fd = os.open(base + name, flags)
                try:
                    n = os.readv(fd, [view])
                    while n == len(buf):                # larger than the buffer
                        view.release()
                        buf.extend(bytes(len(buf)))
                        view = memoryview(buf)
                        n += os.readv(fd, [view[n:]])
                finally:
                    os.close(fd)
            except OSError as exc:
                errors.append((count, FileResult(prefix + name, Status.FAILED, error=exc.strerror or str(exc),
                                                 language=lang)))
                continue
            if single is not None:
                if buf.find(single, 0, n) < 0:
                    continue
            elif not any(buf.find(x, 0, n) >= 0 for x in needles):
                continue
            hits.append((count, base + name, prefix + name, lang))
    return count, hits, errors


def analyse(path: str, display: str, language: str, options: RunOptions) -> FileResult:
    try:
        with open(path, "rb") as fh:
            source = fh.read()
    except OSError as exc:
        return FileResult(display, Status.FAILED, error=exc.strerror or str(exc), language=language)
    return process_source(source, display, language, options)


def _prefilter_task(args) -> tuple:
    return prefilter(*args)


def _analyse_task(args) -> FileResult:
    return analyse(*args)


def run(items: Iterable, options: RunOptions, jobs: int) -> tuple:
    """Process discovered items (folder groups or single targets); return
    (results in walk order, number of files read).

    Two stages: a prefilter over batches of folders, then one analysis task
    per file that mentions vfork; with ``jobs`` > 1 both run in worker
    processes (a dense tree of vfork files spreads over the workers too)."""
    needles = options.needles
    batches = _batches(items)
    first = next(batches, None)
    if first is None:
        return [], 0
    second = next(batches, None)
    keyed, files = [], 0
    if jobs <= 1 or (second is None and sum(len(g[2]) for g in first) < 2):
        for number, batch in enumerate(_chain(first, second, batches)):
            count, hits, errors = prefilter(batch, needles)
            files += count
            keyed += [((number, pos), r) for pos, r in errors]
            keyed += [((number, pos), analyse(path, display, lang, options)) for pos, path, display, lang in hits]
        keyed.sort(key=lambda kv: kv[0])
        return [r for _, r in keyed], files
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
        pending = []
        stage1 = pool.map(_prefilter_task, ((batch, needles) for batch in _chain(first, second, batches)))
        for number, (count, hits, errors) in enumerate(stage1):
            files += count
            keyed += [((number, pos), r) for pos, r in errors]
            pending += [((number, pos), pool.submit(_analyse_task, (path, display, lang, options)))
                        for pos, path, display, lang in hits]
        keyed += [(key, future.result()) for key, future in pending]
    keyed.sort(key=lambda kv: kv[0])
    return [r for _, r in keyed], files


def _chain(first, second, rest):
    yield first
    if second is not None:
        yield second
        yield from rest


def _batches(items: Iterable):
    """Lists of folder groups holding about BATCH files each."""
    batch, size = [], 0
    for item in items:
        if len(item) == 3 and isinstance(item[2], list):
            group = item
        else:                                   # a single named file
            base, name = os.path.split(item.path)
            group = (base + "/" if base else "", item.display[: len(item.display) - len(name)],
                     [(name, item.language)])
        batch.append(group)
        size += len(group[2])
        if size >= BATCH:
            yield batch
            batch, size = [], 0
    if batch:
        yield batch
