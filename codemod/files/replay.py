"""The warm run's fast path: `scan` or `diff` run again, the same way, over
a tree in which nothing changed prints what the run before printed,
without loading the rest of the tool.

A run of `scan` or `diff` that uses the cache (codemod.files.cache) also
keeps a *replay record* in the cache folder: what it wrote to standard
output and standard error (the bytes, in the order they reached the two
descriptors), its exit status, and everything the output depended on:

* the invocation: the arguments, the current folder, the environment
  variables the tool or the programs it runs read, whether each stream is
  a terminal, the interpreter and the tool's version;
* the tool's own files (modules and query files, and their folders);
* the configuration files looked for (each `.vfork-codemod.toml` and
  `pyproject.toml` from the paths' common folder up to the one used), and
  the baseline file;
* the walk (codemod.files.walkrecord: the folders listed, the ignore files
  tried, each `.git` looked for, git's core.excludesFile);
* every walked file's size, mtime, ctime and inode, and the digest the
  cache keeps of each file whose change matters (one with a result, one
  the project index read): a file touched but holding the same bytes is
  no change.

:func:`answer` runs before anything else is imported: it finds the record
for the invocation, checks every one of these, and only if none differs
writes the recorded bytes and returns the status.  Anything else (no
record, one that cannot be read, a file touched) returns None and the full
run decides, as it would have; it never guesses.  A record is kept only
when the run's inputs were all settled: no file, folder or configuration
changed within two seconds of the run (git's "racily clean" rule), no path
missing, no progress line drawn, no forked worker writing to the streams
past the record, and at most :data:`LIMIT` bytes of output.

Imports only ``os``, ``sys``, ``marshal`` and ``zlib`` (and
codemod.files.stamps and codemod.files.config, which import no more).
"""
from __future__ import annotations

import io
import marshal
import os
import sys
import zlib

from codemod.core.errors import EXIT_BROKEN_PIPE, EXIT_ERROR, EXIT_FINDINGS, EXIT_OK
from codemod.files import config, stamps

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Optional

FORMAT = 1
DIRECTORY = ".vfork-codemod-cache"     # the cache folder (codemod.files.cache), beside the configuration
LIMIT = 32 << 20                       # bytes of output a record holds; a run printing more is not recorded
MAX_TOUCHED = 64                       # files with a new stat whose bytes the fast path reads to compare
COMMANDS = ("scan", "diff")
# Options of scan and diff (and the global ones) that take a value; a test
# holds this equal to the parser's.
VALUED = frozenset({
    "--target", "--exclude", "--alias", "--exec-wrapper", "--safe-function", "--die-function", "--include-dir",
    "-D", "--define", "-U", "--undefine", "--compile-commands", "--max-parse-memory", "--max-worker-memory",
    "--config", "--color", "-j", "--jobs", "--stdin-filename", "-o", "--output-file", "--format", "--baseline",
    "--cache-dir",
})
# Options under which the full run never records: its output goes elsewhere
# or is not a report of the tree.
_NEVER = frozenset({"-o", "--output-file", "--no-cache", "--stdin-filename", "-h", "--help", "--version"})
_ENV_PREFIXES = ("VFORK_CODEMOD_", "GIT_", "LC_", "PYTHON")
_ENV_NAMES = frozenset({"NO_COLOR", "FORCE_COLOR", "TERM", "HOME", "XDG_CONFIG_HOME", "PATH", "LANG",
                        "LANGUAGE", "SOURCE_DATE_EPOCH", "COLUMNS"})


def answer(argv: list) -> Optional[int]:
    """Replay the recorded run of ``argv`` when nothing it depended on has
    changed: write its output and return its exit status.  None, having
    written nothing, when there is no such record or anything differs."""
    try:
        found = _valid_record(argv)
    except Exception:  # noqa: BLE001 - the fast path never decides a run's fate: the full run does
        return None
    if found is None:
        return None
    writes, status = found
    try:
        for fd, data in writes:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
    except BrokenPipeError:
        return EXIT_BROKEN_PIPE       # as the full run: the reader went away
    except OSError as exc:
        # Some of the output is out: running again would repeat it.
        try:
            os.write(2, f"vfork-codemod: cannot write the output: {exc.strerror}\n".encode())
        except OSError:
            pass
        return EXIT_ERROR
    return status


def _valid_record(argv: list) -> Optional[tuple]:
    """(writes, status) of the record of ``argv`` when everything it
    depended on is as recorded, else None."""
    where = _folder(argv)
    if where is None or os.environ.get("VFORK_CODEMOD_NO_CACHE"):
        return None
    key = invocation(argv)
    try:
        with open(os.path.join(where, record_name(key)), "rb") as fh:
            record = marshal.loads(fh.read())
    except OSError:
        return None
    if not isinstance(record, dict) or record.get("key") != key:
        return None
    writes, status = record["writes"], record["status"]
    if not isinstance(status, int) or not isinstance(writes, list) or not all(
            isinstance(w, tuple) and len(w) == 2 and w[0] in (1, 2) and isinstance(w[1], bytes) for w in writes):
        return None
    for path, sig in record["inputs"]:
        if stamps.signature(path, True) != sig:
            return None
    if not stamps.walk_unchanged(*record["walk"]):
        return None
    signature = stamps.signature
    touched = [path for path, sig in record["stats"].items() if signature(path) != sig]
    if touched:
        # Touched, checked out again, rewritten whole with the same bytes:
        # the digest the cache keeps of each file whose change matters says.
        digests = record["digests"]
        if len(touched) > MAX_TOUCHED or any(path not in digests for path in touched) or \
                any(stamps.digest_of(path) != digests[path] for path in touched):
            return None
    return writes, status


def invocation(argv: list) -> tuple:
    """What, besides files on disk, a run of ``argv`` depends on."""
    from codemod import __version__
    env = tuple(sorted((k, v) for k, v in os.environ.items() if k.startswith(_ENV_PREFIXES) or k in _ENV_NAMES))
    return (FORMAT, __version__, sys.executable, sys.version, os.path.dirname(os.path.abspath(__file__)),
            tuple(argv), os.getcwd(), env, _isatty(1), _isatty(2))


def record_name(key: tuple) -> str:
    """The file name of the record of the invocation ``key``; two
    invocations sharing one overwrite each other (the record holds its
    key)."""
    text = repr(key).encode("utf-8", "surrogateescape")
    return f"replay-{zlib.crc32(text):08x}{zlib.adler32(text):08x}"


def _isatty(fd: int) -> bool:
    try:
        return os.isatty(fd)
    except OSError:
        return False


def _folder(argv: list) -> Optional[str]:
    """The cache folder a run of ``argv`` uses, as codemod.cli finds it
    (--cache-dir, $VFORK_CODEMOD_CACHE_DIR, beside the configuration file,
    else here); None when ``argv`` is no run the fast path can answer.  A
    guess that differs from the full parser's finds no record: never a
    wrong answer."""
    words = iter(argv)
    command, paths, values, rest = None, [], {}, False
    for word in words:
        if rest or word == "-" or not word.startswith("-"):
            if command is None:
                if word not in COMMANDS:
                    return None
                command = word
            elif word == "-":
                return None             # standard input: never cached
            else:
                paths.append(word)
            continue
        if word == "--":
            rest = True
            continue
        name, eq, value = word.partition("=") if word.startswith("--") else (word, "", "")
        if name in _NEVER:
            return None
        if name in VALUED:
            if not eq:
                value = next(words, None)
                if value is None:
                    return None
            values[name] = value
        elif not word.startswith("--") and len(word) != 2:
            return None                 # short options run together (-j2, -qj2): the full parser reads them
    if command is None:
        return None
    if values.get("--cache-dir") or os.environ.get("VFORK_CODEMOD_CACHE_DIR"):
        return values.get("--cache-dir") or os.environ["VFORK_CODEMOD_CACHE_DIR"]
    if values.get("--config"):
        return os.path.join(os.path.realpath(os.path.dirname(os.path.abspath(values["--config"]))), DIRECTORY)
    for dotfile, pyproject in config.candidates(config.common_folder(paths or ["."])):
        if os.path.isfile(dotfile):
            return os.path.join(os.path.dirname(dotfile), DIRECTORY)
        if os.path.isfile(pyproject):
            with open(pyproject, "rb") as fh:
                if b"vfork-codemod" in fh.read():
                    return os.path.join(os.path.dirname(pyproject), DIRECTORY)
    return DIRECTORY


def config_inputs(paths: list, explicit: Optional[str], source) -> list:
    """[(path, signature)] of the configuration files a run over ``paths``
    looked for: ``explicit`` alone, else each candidate from the paths'
    common folder up to ``source`` (the one used; None: all the way up)."""
    if explicit:
        return [(explicit, stamps.signature(explicit, True))]
    out = []
    used = os.path.realpath(str(source)) if source is not None else None
    for pair in config.candidates(config.common_folder(paths)):
        out.extend((p, stamps.signature(p, True)) for p in pair)
        if used is not None and used in pair:
            break
    return out


class Recorder:
    """What a run writes to standard output and standard error, as the two
    descriptors receive it, for :meth:`record`.  Installed only over the
    interpreter's own streams on descriptors 1 and 2 (not under a test's
    capture)."""

    def __init__(self, key: tuple, started: int):
        self.key = key
        self.started = started
        self.writes: list = []
        self.size = 0
        self._saved = (sys.stdout, sys.stderr)
        self.pid = os.getpid()
        # A forked worker that writes to the streams writes past the record:
        # it says so here (close-on-exec: programs the run starts never see it).
        self._forked_r, self._forked_w = os.pipe()
        os.set_blocking(self._forked_r, False)
        os.set_blocking(self._forked_w, False)

    @classmethod
    def start(cls, argv: list) -> Optional["Recorder"]:
        """Record from now on (None: the streams are not the process's own)."""
        import time
        out, err = sys.stdout, sys.stderr
        if out is not sys.__stdout__ or err is not sys.__stderr__ or out is None or err is None:
            return None
        if not hasattr(os, "fork"):
            return None             # workers would be spawned afresh, writing past the record unseen
        try:
            if out.fileno() != 1 or err.fileno() != 2:
                return None
            out.flush()
            err.flush()
        except (OSError, ValueError, AttributeError, io.UnsupportedOperation):
            return None
        rec = cls(invocation(argv), time.time_ns())
        sys.stdout, sys.stderr = (io.TextIOWrapper(io.BufferedWriter(_Tee(s.fileno(), rec)), encoding=s.encoding,
                                                   errors=s.errors, line_buffering=s.line_buffering,
                                                   write_through=s.write_through) for s in (out, err))
        return rec

    def add(self, fd: int, data: bytes) -> None:
        """``data`` reached ``fd``."""
        if os.getpid() != self.pid:
            try:
                os.write(self._forked_w, b"!")
            except OSError:
                pass                # the pipe is full: it says so already
            return
        self.size += len(data)
        if self.size <= LIMIT:
            if self.writes and self.writes[-1][0] == fd:
                self.writes[-1][1].extend(data)         # a bytearray: no copy of what came before
            else:
                self.writes.append((fd, bytearray(data)))

    def stop(self) -> None:
        """Flush what is buffered and give the streams back."""
        out, err = sys.stdout, sys.stderr
        sys.stdout, sys.stderr = self._saved
        for stream in (out, err):
            try:
                stream.flush()
            except (OSError, ValueError):
                pass

    def forked_wrote(self) -> bool:
        """A forked worker wrote to standard output or error."""
        if self._forked_r < 0:
            return True
        try:
            return bool(os.read(self._forked_r, 1))
        except BlockingIOError:
            return False
        except OSError:
            return True

    def close(self) -> None:
        """Release the flag's pipe (after :meth:`record`)."""
        for fd in (self._forked_r, self._forked_w):
            if fd >= 0:
                try:
                    os.close(fd)
                except OSError:
                    pass
        self._forked_r = self._forked_w = -1

    def record(self, status: int, inputs: list, walk, stats: dict, digests: Optional[dict] = None) -> Optional[bytes]:
        """The record of the run that ended with ``status`` (``inputs``:
        [(path, signature)] of the configuration files, the baseline and
        the tool's own files), or None when
        the next run could not trust it (an input changed within
        :data:`codemod.files.stamps.RECENT_NS` of the start, a file of unknown state, too much
        output)."""
        if self.forked_wrote() or walk is None or self.size > LIMIT or \
                status not in (EXIT_OK, EXIT_FINDINGS, EXIT_ERROR):
            return None
        recent = self.started - stamps.RECENT_NS
        if any(sig is None or (sig and sig[1] >= recent) for _, sig in inputs):
            return None
        if any(sig is None for sig in stats.values()):
            return None
        return marshal.dumps({
            "key": self.key, "status": status, "writes": [(fd, bytes(data)) for fd, data in self.writes],
            "inputs": inputs,
            "walk": (tuple(walk.args), dict(walk.dirs), dict(walk.probes), dict(walk.exists),
                     dict(walk.excludes_files)),
            "stats": dict(stats), "digests": {p: d for p, d in (digests or {}).items() if p in stats},
        })


class _Tee(io.RawIOBase):
    """A raw stream writing straight to a descriptor (which closing it
    leaves open) and telling the :class:`Recorder` what went out."""

    def __init__(self, fd: int, recorder: Recorder):
        super().__init__()
        self.fd = fd
        self.recorder = recorder

    def writable(self) -> bool:
        return True

    def isatty(self) -> bool:
        return _isatty(self.fd)

    def fileno(self) -> int:
        return self.fd

    def write(self, b) -> int:
        data = bytes(b)
        view = memoryview(data)
        while view:
            view = view[os.write(self.fd, view):]
        self.recorder.add(self.fd, data)
        return len(data)
