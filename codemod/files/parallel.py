"""Run the engines over many files, in worker processes when it pays.

The main process walks the tree.  With grep (see grepfilter) it analyses
the walked files grep reports while grep still reads, and hands what is left
to workers when that is enough work; without grep it hands batches of
folders to workers, which read, prefilter and analyse.  Only files with
something to report come back, and results are put back in walk order, so
the output is the same for any number of jobs.
"""
from __future__ import annotations

import os
from typing import TYPE_CHECKING, Iterable, NamedTuple, Optional

if TYPE_CHECKING:
    from codemod.core.model import FileResult
    from codemod.core.options import RunOptions


from codemod.files.grepfilter import utf16_mentions

BATCH = 512          # files per prefilter task
BUFFER = 1 << 20     # initial read buffer; grows for larger files


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


_BUF = None


def prefilter(groups: list, needles: tuple) -> tuple:
    """(files read, a :class:`Hit` per file that mentions a needle, keyed by
    its position, [(position, FileResult)] for files that cannot be read).

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
    for base, prefix, files, *_ in groups:
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
                from codemod.core.model import FileResult, Status
                errors.append((count, FileResult(prefix + name, Status.FAILED, error=exc.strerror or str(exc),
                                                 language=lang)))
                continue
            if single is not None:
                if buf.find(single, 0, n) < 0 and (buf.find(b"\0", 0, min(n, 4096)) < 0
                                                   or not utf16_mentions(buf, n)):
                    continue
            elif not any(buf.find(x, 0, n) >= 0 for x in needles) and (
                    buf.find(b"\0", 0, min(n, 4096)) < 0 or not utf16_mentions(buf, n)):
                continue
            hits.append(Hit(count, base + name, prefix + name, lang))
    return count, hits, errors


def analyse(path: str, display: str, language: str, options: RunOptions,
            source: Optional[bytes] = None) -> FileResult:
    """The result of one file (its bytes read here unless given)."""
    from codemod.core.model import FileResult, Status
    from codemod.output import progress
    from codemod.pipeline import process_source
    if source is None:
        try:
            with open(path, "rb") as fh:
                source = fh.read()
        except OSError as exc:
            return FileResult(display, Status.FAILED, error=exc.strerror or str(exc), language=language)
    progress.stage("analysing")
    with progress.busy(display):
        return finish(process_source(source, display, language, options), options)


def finish(result: FileResult, options: RunOptions) -> FileResult:
    """A result as the run keeps it: with its diff when the run makes them,
    without the file's bytes when the run does not need them."""
    from codemod.core.model import Status
    if options.diffs and result.status is Status.CHANGED:
        from codemod.core.diffs import unified
        result.patch = unified(result.path, result.original, result.new, edits=result.edits)
    if not options.texts:
        result.original, result.new, result.renderer, result.edits = b"", None, None, None
    return result


def _preload_early() -> None:
    """Import the engines that are cheap to import and likely needed."""
    from codemod.engines.base import engines
    for e in engines():
        if e.preload_early:
            e.preload()


def _preload_engines(found: list) -> None:
    """Import the engines of these files before workers are forked, so each need not."""
    from codemod.engines.base import engine
    for language in {hit.language for hit in found}:
        engine(language).preload()


def _prefilter_task(args) -> tuple:
    return prefilter(*args)


def _analyse_chunk(args) -> list:
    files, options = args
    return [analyse(path, display, lang, options) for path, display, lang in files]


def start_prefilter(paths: list, needles: tuple, jobs: int):
    """Start ripgrep (codemod.files.ripgrep), else the system grep, over
    ``paths`` when it pays (``jobs`` > 1), so it reads while the engines are
    imported; or None."""
    if jobs <= 1 or not paths:
        return None
    from codemod.files import grepfilter, ripgrep
    if ripgrep.rg_command():
        return ripgrep.Ripgrep(paths, needles, jobs)
    if grepfilter.grep_command():
        return grepfilter.TreeGrep(paths, needles, jobs)
    return None


def run(items: Iterable, options, jobs: int, grep=None) -> tuple:
    """Process discovered items (folder groups or single targets); return
    (results in walk order, number of files read).

    Two stages: a prefilter, then one analysis per file that mentions vfork.
    The prefilter is ``grep`` (from :func:`start_prefilter`, over the same
    paths as the walk) or else reads the files itself, in worker processes
    when ``jobs`` > 1; the analyses run in worker processes when there are
    more than a few.  With ``jobs`` 1 everything runs in this process."""
    if grep is not None:
        return _run_grep(items, options, jobs, grep)
    return _run_own(items, options, jobs)


# Matches are analysed without starting workers when there are this few, or
# this few bytes of them: starting a pool costs about what 150 KB of C does.
IN_PROCESS = 4
IN_PROCESS_BYTES = 150_000
CHUNK = 16             # at most this many files per analysis task


def _run_grep(items: Iterable, options: RunOptions, jobs: int, grep) -> tuple:
    """Walk while the greps read.  Each walked file grep reports is analysed
    here while the greps still run; those reported later go to workers."""
    reported, keyed, found = [], [], []
    try:
        walked = []
        early = False
        for batch in _batches(items, BATCH):
            if not early and any(not isinstance(g, Group) or not g.named for g in batch):
                _preload_early()            # a folder: while the filter reads (and ripgrep lists)
                early = True
            walked.append(batch)
            reported += grep.reported()     # keep the pipes flowing
        if not early:                       # files named one by one: only their engines
            _preload_engines([Hit(None, "", "", lang) for batch in walked for g in batch for _, lang in g.files])
        where = _WalkIndex(walked)
        seen: set = set()                   # overlapping paths: grep reports a file twice
        while grep.running():
            reported += grep.reported(timeout=0 if reported else 0.05)   # work at hand: do not wait
            if reported:
                path = reported.pop()
                hit = where.get(path) if path not in seen else None
                seen.add(path)
                if hit is not None:
                    keyed.append((hit.key, analyse(hit.path, hit.display, hit.language, options)))
        left = [p for p in dict.fromkeys(reported) if p not in seen]
        seen.update(left)
        found = [hit for hit in map(where.get, left) if hit is not None]
    finally:
        grep.stop()
    if grep.failed:
        _reread(walked, grep.failed, seen, options.needles, keyed, found)
    keyed += _analyse_all(found, options, jobs)
    keyed.sort(key=lambda kv: kv[0])
    return [r for _, r in keyed], sum(group.walked for batch in walked for group in batch)


def _reread(walked: list, failed: list, seen: set, needles: tuple, keyed: list, found: list) -> None:
    """A grep could not read something in its part of the tree (``failed``):
    prefilter that part here, which names the file it cannot read, skipping
    files grep did report.  Adds to ``keyed`` (errors) and ``found``."""
    from codemod.files.grepfilter import covered_by
    from codemod.files.walk import Ignore, Listed
    for number, batch in enumerate(walked):
        pos = 0
        if isinstance(batch[0], Listed):      # no rule applies in it: all it lists, as the walk did
            listed = batch[0]
            for base, prefix, names in listed.folders(Ignore(gitignore=False)):
                for name, lang in names:
                    if base + name not in seen and covered_by(base + name, failed):
                        _, hits, errors = prefilter([(base, prefix, [(name, lang)], False)], needles)
                        key = (number, listed.key(base + name))
                        keyed.extend((key, r) for _, r in errors)
                        found.extend(hit._replace(key=key) for hit in hits)
            continue
        for base, prefix, names, named in batch:
            for name, lang in names:
                pos += 1
                if base + name not in seen and covered_by(base + name, failed):
                    _, hits, errors = prefilter([(base, prefix, [(name, lang)], named)], needles)
                    keyed.extend(((number, pos), r) for _, r in errors)
                    found.extend(hit._replace(key=(number, pos)) for hit in hits)


class _WalkIndex:
    """Finds a walked file by its path: its key in walk order, display path
    and language.  Kept per folder, not per file."""

    def __init__(self, walked: list):
        from codemod.files.walk import Listed
        self.groups: dict = {}
        self.listed: list = []
        for number, batch in enumerate(walked):
            pos = 0
            if isinstance(batch[0], Listed):
                self.listed.append((number, batch[0]))
                continue
            for base, prefix, names, _ in batch:
                self.groups.setdefault(base, []).append((number, pos, prefix, names, {}))
                pos += len(names)

    def get(self, path: str):
        """The :class:`Hit` keyed (batch, position), or None if not walked."""
        for number, listed in self.listed:
            found = listed.lookup(path)
            if found is not None:
                key, display, language = found
                return Hit((number, key), path, display, language)
        head, sep, name = path.rpartition("/")
        for number, first, prefix, names, offsets in self.groups.get(head + sep, ()):
            if not offsets:
                offsets.update((n, i) for i, (n, _) in enumerate(names))
            i = offsets.get(name)
            if i is not None:
                return Hit((number, first + i + 1), path, prefix + name, names[i][1])
        return None


def analyse_files(files: list, options: RunOptions, jobs: int, language: str) -> list:
    """FileResults of [(path on disk, path shown)] files of one language, in that order."""
    found = [Hit(i, path, display, language) for i, (path, display) in enumerate(files)]
    return [r for _, r in sorted(_analyse_all(found, options, jobs), key=lambda kv: kv[0])]


def _analyse_all(found: list, options: RunOptions, jobs: int) -> list:
    """(key, FileResult) for each :class:`Hit`: here when
    there are few, in worker processes when there are many.  Files the
    second filter rejects (they mention vfork only in comments, strings or
    longer names) are settled here first: they cost a read, not a worker."""
    if jobs <= 1 or len(found) <= IN_PROCESS:
        return [(key, analyse(path, display, lang, options)) for key, path, display, lang in found]
    settled, left = _settle(found, options)
    found = [hit for hit, _ in left]
    if len(found) <= IN_PROCESS or sum(len(source or b"") for _, source in left) <= IN_PROCESS_BYTES:
        return settled + [(hit.key, analyse(*hit[1:], options, source)) for hit, source in left]
    del left                              # the workers read their files themselves
    _preload_engines(found)               # workers forked after this inherit the engines
    # A few files per task: fewer round trips, still enough tasks to balance.
    size = max(1, min(CHUNK, len(found) // (jobs * 4)))
    chunks = [found[i:i + size] for i in range(0, len(found), size)]
    with _Pool(jobs, options) as pool:
        pending = [(chunk, pool.submit(_analyse_chunk, ([hit[1:] for hit in chunk], options)))
                   for chunk in chunks]
        return settled + [(hit.key, result) for chunk, future in pending
                          for hit, result in zip(chunk, pool.results(future, chunk, options))]


def _settle(found: list, options: RunOptions) -> tuple:
    """([(key, FileResult)] for the hits no engine needs to parse,
    [(hit, its bytes or None when unreadable)] for the others)."""
    from codemod.pipeline import settled as settle
    done, left = [], []
    for hit in found:
        try:
            with open(hit.path, "rb") as fh:
                source = fh.read()
        except OSError:
            left.append((hit, None))      # analyse() names the problem
            continue
        result = settle(source, hit.display, hit.language, options)
        if result is None:
            left.append((hit, source))
        else:
            done.append((hit.key, finish(result, options)))
    return done, left


class _Pool:
    """A process pool started on first use (a run with no match never starts
    one).  Each worker may grow by ``--max-worker-memory``; when one dies
    (killed by the kernel, a native crash), the pool is replaced and the
    files of every chunk it lost are analysed again one by one, each in a
    child of its own, so that only the file that kills its process fails."""

    def __init__(self, jobs: int, options: Optional[RunOptions] = None):
        self.jobs = jobs
        self.pool = None
        self.budget = options.max_worker_memory if options is not None else None

    def submit(self, fn, *args):
        if self.pool is None:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor
            methods = multiprocessing.get_all_start_methods()
            context = multiprocessing.get_context("fork" if "fork" in methods else None)
            self.pool = ProcessPoolExecutor(max_workers=self.jobs, mp_context=context,
                                            initializer=_quiet_worker, initargs=(self.budget,))
        return self.pool.submit(fn, *args)

    def results(self, future, hits: list, options: RunOptions) -> list:
        """The FileResults of a chunk's future; when its worker died, those
        of its files analysed again alone."""
        from concurrent.futures.process import BrokenProcessPool
        try:
            return future.result()
        except BrokenProcessPool:
            self._replace()
            return [_alone(hit, options, self.budget) for hit in hits]

    def prefiltered(self, future, batch: list, needles: tuple) -> tuple:
        """A prefilter task's answer; read here when its worker died."""
        from concurrent.futures.process import BrokenProcessPool
        try:
            return future.result()
        except BrokenProcessPool:
            self._replace()
            return prefilter(batch, needles)

    def _replace(self) -> None:
        # Every future of a dead pool fails: the next submit starts a new one.
        if self.pool is not None:
            self.pool.shutdown(wait=False, cancel_futures=True)
            self.pool = None

    def __enter__(self):
        return self

    def __exit__(self, kind, value, tb):
        if self.pool is not None:
            # On Ctrl-C drop the queued work instead of finishing it.
            self.pool.shutdown(wait=True, cancel_futures=kind is not None)


def _alone(hit, options: RunOptions, budget: Optional[int]):
    """One file analysed in a child of its own: its result, or an error
    naming what ended the child (the file that killed a worker)."""
    from codemod.core import isolate
    from codemod.core.model import FileResult, Status
    outcome = isolate.run(lambda: analyse(hit.path, hit.display, hit.language, options), budget)
    if outcome.kind == "ok":
        return outcome.value
    if outcome.kind == "memory" or outcome.detail in ("SIGKILL", "SIGABRT", "SIGSEGV"):
        why = (f"analysing it needs more than the {budget:,} MB a worker may use (--max-worker-memory), "
               "or the process was killed" if budget else "the process analysing it was killed")
        if outcome.kind == "signal":
            why += f" ({outcome.detail}: out of memory, or a crash)"
    else:
        why = f"the process analysing it stopped unexpectedly ({outcome.kind} {outcome.detail})"
    return FileResult(hit.display, Status.FAILED, error=f"{why}; the other files are not affected",
                      language=hit.language)


def _quiet_worker(budget: Optional[int] = None) -> None:
    """Workers leave Ctrl-C to the main process, which stops them, may
    grow by ``budget`` MB, and report what they analyse to its progress
    line."""
    import signal
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    from codemod.core import isolate
    isolate.cap_memory(budget)
    from codemod.output import progress
    progress.forward_to_parent()


def _run_own(items: Iterable, options: RunOptions, jobs: int) -> tuple:
    needles = options.needles
    batches = _batches(items)
    first = next(batches, None)
    if first is None:
        return [], 0
    second = next(batches, None)
    keyed, files = [], 0
    if jobs <= 1 or (second is None and sum(len(g.files) for g in first) < 2):
        # In walk order as they come, batch by batch: the results stream out
        # of memory (codemod.files.spill) instead of piling up.
        import heapq
        from codemod.files.spill import Results
        results = Results()
        for number, batch in enumerate(_chain(first, second, batches)):
            count, hits, errors = prefilter(batch, needles)
            files += count
            # Both in walk order already: merged, each result goes out as it is made.
            for _, hit, error in heapq.merge(((pos, None, r) for pos, r in errors),
                                             ((hit.key, hit, None) for hit in hits), key=lambda t: t[0]):
                results.append(error if hit is None else analyse(hit.path, hit.display, hit.language, options))
        return results, files
    with _Pool(jobs, options) as pool:
        pending = []
        stage1 = [(batch, pool.submit(_prefilter_task, (batch, needles)))
                  for batch in _chain(first, second, batches)]
        for number, (batch, future) in enumerate(stage1):
            count, hits, errors = pool.prefiltered(future, batch, needles)
            files += count
            keyed += [((number, pos), r) for pos, r in errors]
            if hits:
                found = [hit._replace(key=(number, hit.key)) for hit in hits]
                pending.append((found, pool.submit(_analyse_chunk, ([f[1:] for f in found], options))))
        keyed += [(hit.key, result) for found, future in pending
                  for hit, result in zip(found, pool.results(future, found, options))]
    keyed.sort(key=lambda kv: kv[0])
    return [r for _, r in keyed], files


def _chain(first, second, rest):
    yield first
    if second is not None:
        yield second
        yield from rest


class Group(NamedTuple):
    """Files of one folder for the prefilter: a walked folder's, or one file
    named on the command line (``named``)."""

    base: str
    prefix: str
    files: list            # [(name, language)]
    named: bool

    @property
    def walked(self) -> int:
        return len(self.files)


class Hit(NamedTuple):
    """A file that mentions a needle: its place in walk order, path on disk,
    path shown, and language."""

    key: object
    path: str
    display: str
    language: str


def _batches(items: Iterable, limit: int = BATCH):
    """Lists of :class:`Group` holding about ``limit`` files each."""
    from codemod.files.walk import Folder, Listed
    batch, size = [], 0
    for item in items:
        if isinstance(item, Listed):      # a batch of its own: keys within it are its own
            if batch:
                yield batch
            yield [item]
            batch, size = [], 0
            continue
        if isinstance(item, Folder):
            group = Group(*item, False)
        else:
            base, name = os.path.split(item.path)
            group = Group(base + "/" if base else "", item.display[: len(item.display) - len(name)],
                          [(name, item.language)], True)
        batch.append(group)
        size += len(group.files)
        if size >= limit:
            yield batch
            batch, size = [], 0
    if batch:
        yield batch
