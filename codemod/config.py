"""Project configuration: `[tool.vfork-codemod]` in the nearest pyproject.toml,
or a `.vfork-codemod.toml` (same keys, at top level); flags override it."""
from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional


KEYS = {
    "exclude": "list of gitignore-style patterns, relative to the configuration file",
    "target": '"glibc" or "posix"',
    "include-review": "true or false",
    "aliases": "list of names that behave like vfork (xvfork, XVFORK)",
    "exec-wrappers": "list of project functions that exec or exit and never return",
    "safe-functions": "list of project functions a child may call",
}


class ConfigError(Exception):
    """A configuration file that cannot be used; the message names the file."""


@dataclass
class Config:
    exclude: list = field(default_factory=list)
    target: str = "glibc"
    include_review: bool = False
    aliases: list = field(default_factory=list)
    exec_wrappers: list = field(default_factory=list)
    safe_functions: list = field(default_factory=list)
    root: Optional[Path] = None        # folder the exclude patterns are relative to
    source: Optional[Path] = None      # the file it came from


def find(start: Path) -> Optional[tuple]:
    """(path, table) of the nearest configuration at or above ``start``."""
    start = start.resolve()
    for folder in [start, *start.parents]:
        dotfile = folder / ".vfork-codemod.toml"
        if dotfile.is_file():
            return dotfile, _load(dotfile)
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file():
            table = _load(pyproject).get("tool", {}).get("vfork-codemod")
            if table is not None:
                return pyproject, table
    return None


def _toml():
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - exercised on older interpreters only
        import tomli as tomllib
    return tomllib


def _load(path: Path) -> dict:
    tomllib = _toml()
    try:
        with open(path, "rb") as fh:
            return tomllib.load(fh)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read configuration: {exc}") from None


def load(paths: list, explicit: Optional[str] = None) -> Config:
    """The configuration for a run over ``paths``."""
    if explicit:
        p = Path(explicit)
        if not p.is_file():
            raise ConfigError(f"{explicit}: no such configuration file")
        table = _load(p)
        if p.name == "pyproject.toml":
            table = table.get("tool", {}).get("vfork-codemod", {})
        return parse(table, p)
    found = find(_common_folder(paths))
    return parse(found[1], found[0]) if found else Config()


def _common_folder(paths: list) -> Path:
    folders = []
    for p in paths or ["."]:
        path = Path(p).resolve()
        folders.append(path if path.is_dir() else path.parent)
    try:
        return Path(os.path.commonpath([str(f) for f in folders]))
    except ValueError:
        return Path.cwd()


def parse(table: dict, source: Path) -> Config:
    unknown = sorted(set(table) - set(KEYS))
    if unknown:
        raise ConfigError(f"{source}: unknown key `{unknown[0]}` in [tool.vfork-codemod]; "
                          f"known keys: {', '.join(KEYS)}")
    cfg = Config(root=source.parent.resolve(), source=source)
    for key, value in table.items():
        attr = key.replace("-", "_")
        if key == "target":
            if value not in ("glibc", "posix"):
                raise ConfigError(f"{source}: `target` must be {KEYS['target']}, not {value!r}")
        elif key == "include-review":
            if not isinstance(value, bool):
                raise ConfigError(f"{source}: `include-review` must be true or false")
        elif not (isinstance(value, list) and all(isinstance(v, str) for v in value)):
            raise ConfigError(f"{source}: `{key}` must be a {KEYS[key]}")
        setattr(cfg, attr, value)
    return cfg
