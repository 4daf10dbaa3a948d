"""Use the system grep as the first filter when ripgrep is missing
(codemod.files.ripgrep), as Coccinelle uses idutils: grep
reads a large tree several times faster than Python can.

`grep -r -l` is started on the trees as soon as the run's needles are
known, split over one process per job, so it reads files while Python
imports the engines and walks.  grep only says which files mention vfork;
the tool's own walk still decides which files count (.gitignore, exclude
patterns, extensions, symbolic links), and a match outside the walk is
dropped.  Ignored folders cost grep some reading, never a wrong answer.
When a grep reports a problem (an unreadable file), the files of its part
of the tree are read by the Python prefilter, which names the file.
"""
from __future__ import annotations

import functools
import os
from typing import Optional

from codemod.files.walk import LANGUAGES, SKIP_DIRS, handled_language

INCLUDE = tuple(f"--include=*{ext}" for ext in LANGUAGES)
EXCLUDE = tuple(f"--exclude-dir={name}" for name in sorted(SKIP_DIRS))
MAX_ENTRIES = 2000     # paths handed to the greps on their command lines


# `vfork` in UTF-16 (little and big endian): such a file is reported as
# skipped, with the reason, instead of passing unseen.
UTF16_NEEDLES = (b"v\0f\0o\0r\0k", b"\0v\0f\0o\0r\0k")


def utf16_mentions(data, end: int = -1) -> bool:
    """``data`` (up to ``end``) mentions vfork in UTF-16."""
    end = len(data) if end < 0 else end
    return any(data.find(n, 0, end) >= 0 for n in UTF16_NEEDLES)


@functools.lru_cache(maxsize=1)
def grep_command() -> Optional[str]:
    """The grep binary, if it supports every option used here (GNU grep does)."""
    import subprocess
    grep = which("grep")
    if grep is None:
        return None
    try:
        probe = subprocess.run([grep, "-rlZFsa", "--line-buffered", "-D", "skip", *INCLUDE, *EXCLUDE,
                                "-f", "-", "--", os.devnull], input=b"vfork\nv\0f\0o\0r\0k\n",
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return None
    return grep if probe.returncode == 1 and not probe.stderr else None


def which(name: str) -> Optional[str]:
    for folder in os.get_exec_path():
        path = os.path.join(folder, name)
        if os.access(path, os.X_OK) and not os.path.isdir(path):
            return path
    return None


def entries(paths: list, want: int) -> list:
    """Paths to hand to the greps, spelled as the walk spells them: each
    folder argument is opened up level by level (its files and subfolders)
    until there are about ``want`` entries to share out.  Symbolic links
    inside the trees are left out (grep would follow a link named on its
    command line; the walk never follows them).  A named file keeps the
    spelling the walk gives it, so grep's answer matches it exactly."""
    out: list = []
    folders: list = []
    for arg in paths:
        if os.path.isdir(arg) and not os.path.islink(arg):
            folders.append(os.path.abspath(os.path.normpath(arg)))
        elif os.path.isfile(arg):
            out.append(spelled(arg))
    while folders:
        opened, subfolders = _open(folders)
        if opened is None or len(out) + len(opened) + len(subfolders) > MAX_ENTRIES:
            out.extend(folders)           # too many to list: grep walks these itself
            break
        out.extend(opened)
        folders = subfolders
        if len(out) + len(folders) >= want:
            out.extend(folders)
            break
    return out


def spelled(named: str) -> str:
    """A file named on the command line, spelled as parallel._batches spells it."""
    head, name = os.path.split(named)
    return (head + "/" if head else "") + name


def _open(folders: list) -> tuple:
    """(handled files, subfolders) directly inside ``folders``, or (None, None)
    when one cannot be listed (grep then walks it and reports the problem)."""
    files, subfolders = [], []
    for folder in folders:
        base = folder.rstrip("/") + "/"
        try:
            with os.scandir(folder) as it:
                listed = sorted(it, key=lambda e: e.name)
        except OSError:
            return None, None
        for e in listed:
            try:
                if e.is_dir(follow_symlinks=False):
                    if e.name not in SKIP_DIRS:
                        subfolders.append(base + e.name)
                elif e.is_file(follow_symlinks=False) and handled_language(e.name):
                    files.append(base + e.name)
            except OSError:
                continue
    return files, subfolders


class Reporters:
    """Filter processes started at once, each printing the paths of its
    ``part`` of the tree NUL-terminated; the paths they report can be
    collected while they still run.  A process that exits with a status
    other than 0 or 1 has its part listed in ``failed``."""

    def __init__(self, commands: list, patterns: bytes):
        """``commands``: [(argv, part)]; ``patterns`` go to each one's standard input."""
        import selectors
        import subprocess
        env = dict(os.environ, LC_ALL="C")
        self.failed: list = []        # entries of the parts whose process reported a problem
        self._selector = selectors.DefaultSelector()
        self._procs = []
        for argv, part in commands:
            proc = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                    stderr=subprocess.DEVNULL, env=env)
            _lower_priority(proc.pid)
            proc.stdin.write(patterns)
            proc.stdin.close()
            self._procs.append(proc)
            self._selector.register(proc.stdout, selectors.EVENT_READ, [part, proc, b""])

    def running(self) -> bool:
        """Some process has output still to read."""
        return bool(self._selector.get_map())

    def reported(self, timeout: float = 0) -> list:
        """Paths reported since the last call, waiting up to ``timeout``
        seconds for the first; at the end, also notes which processes failed."""
        out: list = []
        if not self.running():
            return out
        for key, _ in self._selector.select(timeout):
            part, proc, tail = state = key.data
            chunk = os.read(key.fd, 1 << 16)
            if chunk:
                *names, state[2] = (tail + chunk).split(b"\0")
                out.extend(os.fsdecode(n) for n in names if n)
                continue
            self._selector.unregister(key.fileobj)
            key.fileobj.close()
            if tail:
                out.append(os.fsdecode(tail))
            if proc.wait() not in (0, 1):
                self.failed.extend(part)
        return out

    def stop(self) -> None:
        """Kill the processes still running and release the pipes (again: no-op)."""
        for proc in self._procs:
            if proc.poll() is None:
                proc.kill()
            proc.wait()
        if self.running():
            for key in list(self._selector.get_map().values()):
                self._selector.unregister(key.fileobj)
                key.fileobj.close()
        self._selector.close()


def _lower_priority(pid: int) -> None:
    """The filter yields the CPU to this process: its engines' import and
    the first analyses then run while the filter still reads."""
    try:
        os.setpriority(os.PRIO_PROCESS, pid, min(19, os.getpriority(os.PRIO_PROCESS, 0) + 10))
    except (OSError, AttributeError):
        pass


def patterns(needles: tuple) -> bytes:
    """The needles, one a line, for `-f -`: the UTF-16 ones hold NUL bytes,
    which a command line cannot carry."""
    return b"".join(n + b"\n" for n in needles + UTF16_NEEDLES)


class TreeGrep(Reporters):
    """`grep -r -l` over the given paths in ``jobs`` processes."""

    def __init__(self, paths: list, needles: tuple, jobs: int):
        listed = entries(paths, 4 * jobs)
        parts = [listed[i::jobs] for i in range(jobs) if listed[i::jobs]]
        # -a lets grep match the UTF-16 needles in files it would call binary.
        args = [grep_command(), "-rlZFsa", "--line-buffered", "-D", "skip", *INCLUDE, *EXCLUDE, "-f", "-"]
        super().__init__([(args + ["--"] + part, part) for part in parts], patterns(needles))


def covered_by(path: str, entries_: list) -> bool:
    """``path`` is one of ``entries_`` or lies inside one of them."""
    return any(path == e or path.startswith(e.rstrip("/") + "/") for e in entries_)
