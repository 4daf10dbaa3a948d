"""Run the engines over many files, in worker processes when it pays.

The main process walks the tree and hands out batches of paths; workers read,
prefilter and analyse, and send back only the files with something to report.
Results are put back in walk order, so the output is the same for any
number of jobs.
"""
from __future__ import annotations

import itertools
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from typing import Iterable

from codemod.runner import RunOptions, process_file

BATCH = 512


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def _batch(args) -> tuple:
    options, targets = args
    out = []
    for i, (path, display, language) in enumerate(targets):
        result = process_file(path, display, language, options)
        if result is not None:
            out.append((i, result))
    return len(targets), out


def run(targets: Iterable, options: RunOptions, jobs: int) -> tuple:
    """Process ``targets`` ((path, display, language) triples); return
    (results in walk order, number of files read)."""
    it = iter(targets)
    first = list(itertools.islice(it, BATCH))
    if jobs <= 1 or len(first) < BATCH:
        return _serial(itertools.chain(first, it), options)
    batches = _batches(itertools.chain(first, it))
    context = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else None)
    results, files = [], 0
    with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
        for count, found in pool.map(_batch, ((options, b) for b in batches)):
            files += count
            results.extend(r for _, r in found)
    return results, files


def _serial(targets: Iterable, options: RunOptions) -> tuple:
    results, files = [], 0
    for path, display, language in targets:
        files += 1
        result = process_file(path, display, language, options)
        if result is not None:
            results.append(result)
    return results, files


def _batches(targets: Iterable):
    it = iter(targets)
    while True:
        chunk = [tuple(t) for t in itertools.islice(it, BATCH)]
        if not chunk:
            return
        yield chunk
