"""Writing the files of an output folder (``review --out``) safely.

A file is written to a temporary file created exclusively in the folder and
renamed over its name, so a symbolic link planted under that name is
replaced, never written through.  The patches an earlier run listed in the
folder's index.json are removed first, so a series never mixes runs.
"""
from __future__ import annotations

import json
import os
import re
import tempfile
from pathlib import Path

from codemod.core import display
from codemod.core.errors import OutputError

OURS = re.compile(r"^\d{4}-[A-Za-z0-9._-]+\.patch$")


def prepare(out_dir: str) -> Path:
    """The output folder, created if needed; OutputError when it cannot be used."""
    out = Path(out_dir)
    shown = display.path(str(out))
    if out.exists() and not out.is_dir():
        raise OutputError(f"{shown}: --out must name a folder, and this is a file")
    try:
        out.mkdir(parents=True, exist_ok=True)
        fd, probe = tempfile.mkstemp(prefix=".vfork-codemod-probe-", dir=out)
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        raise OutputError(f"{shown}: cannot write there ({exc.strerror or exc})") from None
    _remove_previous(out)
    return out


def _remove_previous(out: Path) -> None:
    index = out / "index.json"
    if index.is_symlink() or not index.is_file():
        return
    try:
        listed = json.loads(index.read_text(encoding="utf-8")).get("patches", [])
    except (OSError, ValueError, AttributeError):
        return
    for entry in listed if isinstance(listed, list) else []:
        name = entry.get("patch") if isinstance(entry, dict) else None
        if isinstance(name, str) and OURS.match(name):
            try:
                os.unlink(out / name)
            except FileNotFoundError:
                pass
            except OSError as exc:
                raise OutputError(f"{display.path(str(out / name))}: cannot remove the patch of the "
                                  f"earlier run ({exc.strerror})") from None


def write(out: Path, name: str, data: bytes) -> None:
    """Write ``out/name`` through a temporary file renamed over it."""
    try:
        fd, tmp = tempfile.mkstemp(prefix=".vfork-codemod-", dir=out)
    except OSError as exc:
        raise OutputError(f"{display.path(str(out))}: cannot write there ({exc.strerror})") from None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, out / name)
    except OSError as exc:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise OutputError(f"{display.path(str(out / name))}: cannot write ({exc.strerror})") from None
