"""Use the system grep as the prefilter, as Coccinelle uses idutils: grep
reads a large tree several times faster than Python can.

The tool's own walk decides which files count (.gitignore, exclude
patterns, extensions, symbolic links) and hands grep explicit lists of
them; grep only says which mention vfork.  When grep reports a problem with
a list (an unreadable file), that list is read by the Python prefilter,
which names the file in its error.
"""
from __future__ import annotations

import functools
import os
import shutil
import subprocess
from typing import Optional


@functools.lru_cache(maxsize=1)
def grep_command() -> Optional[str]:
    """The grep binary, if it supports the options used here."""
    grep = shutil.which("grep")
    if grep is None:
        return None
    try:
        probe = subprocess.run([grep, "-lZFs", "-D", "skip", "-e", "vfork", "--", os.devnull],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return None
    return grep if probe.returncode == 1 and not probe.stderr else None


class GrepList:
    """`grep -l` over one list of files, started at once, collected later."""

    def __init__(self, paths: list, needles: tuple):
        args = [grep_command(), "-lZFs", "-D", "skip"]
        for needle in needles:
            args += ["-e", needle.decode("utf-8", "surrogateescape")]
        args += ["--"] + paths
        self.proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                     env=dict(os.environ, LC_ALL="C"))

    def matches(self) -> Optional[set]:
        """The listed files that match, or None when grep could not read them all."""
        out, _ = self.proc.communicate()
        if self.proc.returncode not in (0, 1):
            return None
        return {os.fsdecode(name) for name in out.split(b"\0") if name}

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.communicate()
