"""Project configuration: `[tool.vfork-codemod]` in the nearest pyproject.toml,
or a `.vfork-codemod.toml` (same keys, at top level); flags override it."""
from __future__ import annotations

import os
import sys
TYPE_CHECKING = False       # typing and pathlib cost startup time on every run (and the warm fast path)
if TYPE_CHECKING:
    from pathlib import Path
    from typing import Iterator, Optional


KEYS = {
    "exclude": "list of gitignore-style patterns, relative to the configuration file",
    "target": '"glibc" or "posix"',
    "include-review": "true or false",
    "spawnp": "true or false (execvp & co. may become posix_spawnp)",
    "aliases": "list of names that behave like vfork (xvfork, XVFORK)",
    "exec-wrappers": "list of project functions that exec or exit and never return",
    "safe-functions": "list of project functions a child may call",
    "die-functions": "list of project functions that end the process and never exec",
    "strict-exits": "true or false (a child that may end through a helper's exit() stays review)",
    "max-parse-memory": "a whole number of megabytes (at least 16)",
    "max-worker-memory": "a whole number of megabytes (at least 16)",
    "include-dirs": "list of folders, relative to the configuration file, whose definitions the project index reads",
    "project": "true or false (learn helpers and wrappers from the rest of the tree)",
    "defines": 'list of "NAME" or "NAME=VALUE" the build defines (as cc -D)',
    "undefines": "list of names the build leaves undefined (as cc -U)",
    "compile-commands": "path of a compile_commands.json, relative to the configuration file",
}
NAME_KEYS = {"aliases": "C identifier", "exec-wrappers": "function name", "safe-functions": "function name",
             "die-functions": "function name"}
_IDENT = r"[A-Za-z_][A-Za-z0-9_]*"
NAME_RULES = {"C identifier": rf"^{_IDENT}$", "function name": rf"^{_IDENT}(\.{_IDENT})*$"}
MIN_PARSE_MEMORY = 16


class ConfigError(Exception):
    """A configuration file that cannot be used; the message names the file."""


class Config:
    """The settings of one configuration file (defaults when there is none).
    A plain class: every run reads it before starting the prefilter, so it
    avoids importing dataclasses."""

    def __init__(self, root: Optional[Path] = None, source: Optional[Path] = None):
        self.exclude: list = []
        self.target = "glibc"
        self.include_review = False
        self.spawnp = False
        self.aliases: list = []
        self.exec_wrappers: list = []
        self.safe_functions: list = []
        self.die_functions: list = []
        self.strict_exits = False
        self.max_parse_memory = 400
        self.max_worker_memory = 2048
        self.include_dirs: list = []
        self.defines: list = []
        self.compile_commands: Optional[str] = None
        self.undefines: list = []
        self.project = True
        self.root = root          # folder the exclude patterns are relative to
        self.source = source      # the file it came from


def find(start: str) -> Optional[tuple]:
    """(path, table) of the nearest configuration at or above ``start``."""
    from pathlib import Path
    for dotfile, pyproject in candidates(start):
        if os.path.isfile(dotfile):
            return Path(dotfile), _load(Path(dotfile))
        if os.path.isfile(pyproject):
            table = _tool_table(_load(Path(pyproject)), Path(pyproject))
            if table is not None:
                return Path(pyproject), table
    return None


def candidates(start: str) -> Iterator[tuple]:
    """The (`.vfork-codemod.toml`, `pyproject.toml`) pair of paths
    :func:`find` tries in ``start`` and in each folder above it, nearest
    first."""
    folder = os.path.realpath(start)
    while True:
        yield os.path.join(folder, ".vfork-codemod.toml"), os.path.join(folder, "pyproject.toml")
        parent = os.path.dirname(folder)
        if parent == folder:
            return
        folder = parent


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
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: cannot read configuration: not UTF-8 (byte {exc.start}); "
                          "TOML files are UTF-8") from None
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read configuration: {exc}") from None


def _tool_table(doc: dict, path: Path):
    """The [tool.vfork-codemod] table of a pyproject.toml document, None when
    it has none; ConfigError when `tool` or the table is not a table."""
    tool = doc.get("tool")
    if tool is None:
        return None
    if not isinstance(tool, dict):
        raise ConfigError(f"{path}: `tool` must be a table, not {_kind(tool)}")
    table = tool.get("vfork-codemod")
    if table is not None and not isinstance(table, dict):
        raise ConfigError(f"{path}: `tool.vfork-codemod` must be a table, not {_kind(table)}")
    return table


def _kind(value) -> str:
    return {bool: "a boolean", int: "a number", float: "a number", str: "a string", list: "an array"}.get(
        type(value), type(value).__name__)


def load(paths: list, explicit: Optional[str] = None) -> Config:
    """The configuration for a run over ``paths``."""
    if explicit:
        from pathlib import Path
        p = Path(explicit)
        if not p.is_file():
            raise ConfigError(f"{explicit}: no such configuration file")
        table = _load(p)
        if p.name == "pyproject.toml":
            table = _tool_table(table, p) or {}
        return parse(table, p)
    found = find(common_folder(paths))
    return parse(found[1], found[0]) if found else Config()


def common_folder(paths: list) -> str:
    """The folder holding every path given (the current one when they share none)."""
    folders = []
    for p in paths or ["."]:
        path = os.path.realpath(p)
        folders.append(path if os.path.isdir(path) else os.path.dirname(path))
    try:
        return os.path.commonpath(folders)
    except ValueError:
        return os.getcwd()


def parse(table: dict, source: Path) -> Config:
    if not isinstance(table, dict):
        raise ConfigError(f"{source}: the configuration must be a table, not {_kind(table)}")
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
        elif key in ("include-review", "spawnp", "project", "strict-exits"):
            if not isinstance(value, bool):
                raise ConfigError(f"{source}: `{key}` must be true or false, not {_kind(value)}")
        elif key in ("max-parse-memory", "max-worker-memory"):
            if isinstance(value, bool) or not isinstance(value, int) or value < MIN_PARSE_MEMORY:
                raise ConfigError(f"{source}: `{key}` must be {KEYS[key]}, not {value!r}")
        elif key == "compile-commands":
            if not isinstance(value, str):
                raise ConfigError(f"{source}: `{key}` must be a {KEYS[key]}, not {_kind(value)}")
            value = str(cfg.root / value)
        elif not (isinstance(value, list) and all(isinstance(v, str) for v in value)):
            raise ConfigError(f"{source}: `{key}` must be a {KEYS[key]}, not {_kind(value)}")
        if key in NAME_KEYS:
            for name in value:
                problem = bad_name(key, name)
                if problem:
                    raise ConfigError(f"{source}: `{key}` entry {name!r}: {problem}")
        if key == "include-dirs":
            value = [str(cfg.root / v) for v in value]
            missing = [v for v in value if not os.path.isdir(v)]
            if missing:
                raise ConfigError(f"{source}: `include-dirs` entry {missing[0]!r} is not a folder")
        setattr(cfg, attr, value)
    return cfg


def bad_name(key: str, name: str) -> Optional[str]:
    """Why ``name`` cannot be an entry of ``key`` (aliases, exec-wrappers,
    safe-functions), or None."""
    import re
    kind = NAME_KEYS[key]
    if not re.match(NAME_RULES[kind], name):
        if kind == "C identifier":
            return "not a C identifier (letters, digits and _, not starting with a digit)"
        return "not a function name (an identifier, or dotted identifiers for Python)"
    return None
