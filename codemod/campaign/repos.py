"""The repositories of a campaign: REPOS.txt, and a stable name for each."""
from __future__ import annotations

import hashlib
import os
import re


class ReposError(Exception):
    """The repository list cannot be read; the message names the file and line."""


def read(path: str) -> list:
    """The sources listed in ``path``: one local path or git URL a line;
    blank lines and `#` comments are skipped, and each source comes once."""
    try:
        with open(path, encoding="utf-8") as fh:
            lines = fh.read().splitlines()
    except OSError as exc:
        raise ReposError(f"{path}: {exc.strerror}")
    except UnicodeDecodeError:
        raise ReposError(f"{path}: not UTF-8 text")
    out: list = []
    for n, raw in enumerate(lines, 1):
        line = raw.split(" #", 1)[0].strip() if not raw.lstrip().startswith("#") else ""
        if not line:
            continue
        if any(c.isspace() for c in line):
            raise ReposError(f"{path}:{n}: one repository a line, without spaces: {line!r}")
        source = normalise(line, os.path.dirname(os.path.abspath(path)))
        if source not in out:
            out.append(source)
    return out


def is_url(source: str) -> bool:
    return "://" in source or re.match(r"^[\w.-]+@[\w.-]+:", source) is not None


def normalise(source: str, base: str) -> str:
    """A URL as given; a local path made absolute (relative to the list's folder)."""
    if is_url(source):
        return source
    return os.path.normpath(os.path.join(base, os.path.expanduser(source)))


def key(source: str) -> str:
    """The repository's folder name under the campaign's output: its last
    path part and a hash of the whole source (two `lib` repositories differ)."""
    tail = re.sub(r"\.git$", "", source.rstrip("/").rsplit("/", 1)[-1].rsplit(":", 1)[-1]) or "repo"
    tail = re.sub(r"[^A-Za-z0-9._-]+", "-", tail).strip("-.")[:40] or "repo"
    return f"{tail}-{hashlib.sha1(source.encode('utf-8', 'surrogateescape')).hexdigest()[:8]}"
