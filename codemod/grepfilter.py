"""Use the system grep as the prefilter for directory walks, as Coccinelle
uses idutils: grep reads a large tree several times faster than Python can,
and only the files it lists are analysed.

The tool's own walk still decides which files count (.gitignore, exclude
patterns, extensions, symbolic links); grep's list only says which of them
mention vfork.  Any doubt (no grep, an unreadable file, an unknown option)
and the caller falls back to reading every file itself.
"""
from __future__ import annotations

import functools
import os
import shutil
import subprocess
from typing import Optional

from codemod.walk import LANGUAGES, SKIP_DIRS


@functools.lru_cache(maxsize=1)
def grep_command() -> Optional[str]:
    """The grep binary, if it supports the options used here."""
    grep = shutil.which("grep")
    if grep is None:
        return None
    try:
        probe = subprocess.run([grep, "-rlZFs", "-D", "skip", "--line-buffered", "--include=*.c", "-e", "vfork",
                                "--", os.devnull],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return None
    return grep if probe.returncode == 1 and not probe.stderr else None


class Grep:
    """One `grep -rl` over the given folders, started at once, read later."""

    def __init__(self, folders: list, needles: tuple):
        grep = grep_command()
        args = [grep, "-rlZFs", "-D", "skip", "-d", "recurse", "--line-buffered"]
        args += [f"--include=*{ext}" for ext in LANGUAGES]
        args += [f"--exclude-dir={d}" for d in SKIP_DIRS]
        for needle in needles:
            args += ["-e", needle.decode("utf-8", "surrogateescape")]
        args += ["--"] + [os.path.abspath(f) for f in folders]
        env = dict(os.environ, LC_ALL="C")
        self.proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env)
        self._tail = b""

    def matches(self):
        """Absolute paths of matching files as grep reports them, until it ends.
        Raises RuntimeError when grep reports an error (exit status 2)."""
        fd = self.proc.stdout.fileno()
        while True:
            chunk = os.read(fd, 65536)
            if not chunk:
                break
            *names, self._tail = (self._tail + chunk).split(b"\0")
            for name in names:
                yield os.fsdecode(name)
        if self.proc.wait() not in (0, 1):
            raise RuntimeError("grep could not read every file")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()
        self.proc.stdout.close()
