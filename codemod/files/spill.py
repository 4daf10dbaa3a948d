"""A run's results, in walk order, without holding them all in memory.

The first :data:`KEEP` results stay in memory; later ones are pickled to an
unlinked temporary file as they arrive and read back one at a time each
time the results are iterated (the reports read them a few times).  A run
over tens of thousands of files with sites then grows by a few bytes per
file (an offset), not by its findings, texts and reasons.
"""
from __future__ import annotations

import os
import pickle
import tempfile
from typing import Iterator

KEEP = 256


class Results:
    """A sequence of FileResult values: append, iterate (any number of
    times, also nested), len."""

    def __init__(self, items=()):
        self._memory: list = []
        self._file = None
        self._spans: list = []        # (offset, size) of each spilled result
        self._end = 0
        for item in items:
            self.append(item)

    def append(self, result) -> None:
        if len(self._memory) < KEEP:
            self._memory.append(result)
            return
        if self._file is None:
            self._file = tempfile.TemporaryFile(prefix="vfork-codemod-results-")
        data = pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL)
        os.pwrite(self._file.fileno(), data, self._end)
        self._spans.append((self._end, len(data)))
        self._end += len(data)

    def extend(self, results) -> None:
        for r in results:
            self.append(r)

    def __iter__(self) -> Iterator:
        yield from self._memory
        if self._file is not None:
            fd = self._file.fileno()
            for offset, size in list(self._spans):
                yield pickle.loads(os.pread(fd, size, offset))

    def __len__(self) -> int:
        return len(self._memory) + len(self._spans)

    def __bool__(self) -> bool:
        return bool(self._memory)

    @property
    def spilled(self) -> int:
        """How many results are on disk."""
        return len(self._spans)
