"""Process files: read, analyse, choose the rewrites, verify, report.

Every outcome is a :class:`FileResult` value; nothing raised by one file
stops the others.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Optional

from codemod.core import limits
from codemod.core.model import FileResult, Finding, Reason, Status, Verdict  # noqa: F401 - re-exported


@dataclass(frozen=True)
class RunOptions:
    include_review: bool = False
    target: str = "glibc"
    aliases: tuple = ()
    exec_wrappers: tuple = ()
    safe_functions: tuple = ()
    spawnp: bool = False         # execvp & co. may become posix_spawnp (no /bin/sh fallback for scripts)
    max_parse_memory: int = 400  # MB a file's parse may use: larger C files are skipped, Python stopped
    diffs: bool = False          # also make each changed file's unified diff (FileResult.patch)

    @functools.cached_property
    def needles(self) -> tuple:
        """Byte strings one of which a file must contain to be parsed at all."""
        from codemod.files.grepfilter import needles
        return needles(self.aliases)


def chosen(findings: list, include_review: bool) -> list:
    """The findings whose rewrites are applied, earliest first; a finding
    whose edits overlap an earlier chosen one is left out with a reason."""
    taken: list = []
    edits: list = []
    for f in sorted(findings, key=lambda f: (f.line, f.column)):
        if not f.rewritable:
            continue
        if f.verdict is Verdict.REVIEW and not include_review:
            continue
        if f.verdict not in (Verdict.SPAWN, Verdict.FORK, Verdict.REVIEW):
            continue
        clash = next((e for e in f.edits for other in edits if e.overlaps(other)), None)
        if clash is not None:
            f.reasons.append(Reason(f.line, "not rewritten: its edits overlap another site's rewrite"))
            continue
        taken.append(f)
        edits.extend(f.edits)
    return taken


def process_source(source: bytes, path: str, language: str, options: RunOptions) -> FileResult:
    """Analyse one file's bytes and compute its rewritten bytes."""
    result = _process(source, path, language, options)
    result.language = language
    return result


BINARY = "binary file (it contains NUL bytes): skipped"
UTF16 = "UTF-16 text that mentions vfork: skipped (the tool reads UTF-8 and other ASCII-based encodings; " \
        "convert it, for example with iconv -f UTF-16 -t UTF-8, to have it analysed)"


def _process(source: bytes, path: str, language: str, options: RunOptions) -> FileResult:
    from codemod.files.grepfilter import utf16_mentions
    if not any(n in source for n in options.needles) and not (b"\0" in source[:4096] and utf16_mentions(source)):
        return FileResult(path, Status.UNCHANGED, [], source)
    if source.startswith((b"\xff\xfe", b"\xfe\xff")) or (b"\0" in source and utf16_mentions(source)):
        return FileResult(path, Status.SKIPPED, [], source, error=UTF16)
    if b"\0" in source:
        return FileResult(path, Status.SKIPPED, [], source, error=BINARY)
    if language == "python":
        # Imported here, once, so that each forked child starts with them.
        import codemod.engines.py.engine  # noqa: F401
        from codemod.engines.py.guard import run_isolated
        return run_isolated(lambda: _analyse(source, path, language, options), options.max_parse_memory,
                            lambda why: FileResult(path, Status.FAILED, [], source,
                                                   error=f"cannot parse safely: {why}"))
    return _analyse(source, path, language, options)


def _analyse(source: bytes, path: str, language: str, options: RunOptions) -> FileResult:
    try:
        unit = _load(source, path, language, options)
        if isinstance(unit, limits.Skip):
            return FileResult(path, Status.SKIPPED, [], source, error=str(unit))
        if isinstance(unit, str):
            return FileResult(path, Status.FAILED, [], source, error=unit)
        keep = unit if any(f.rewritable for f in unit.findings) else None
        picked = chosen(unit.findings, options.include_review)
        if not picked:
            return FileResult(path, Status.UNCHANGED, unit.findings, source, unit=keep)
        new = unit.render(picked)
        problem = unit.verify(new)
        if problem:
            return FileResult(path, Status.FAILED, unit.findings, source,
                              error=f"rewrite withheld: {problem}")
        return FileResult(path, Status.CHANGED, unit.findings, source, new, unit=keep,
                          edits=unit.edits_of(new))
    except RecursionError:
        return FileResult(path, Status.FAILED, [], source, error="nesting too deep to analyse")
    except limits.TooDeep as exc:
        return FileResult(path, Status.FAILED, [], source, error=str(exc))
    except Exception as exc:  # noqa: BLE001 - one bad file must not stop the run
        return FileResult(path, Status.FAILED, [], source, error=f"internal error: {type(exc).__name__}: {exc}")


def _load(source: bytes, path: str, language: str, options: RunOptions):
    """The engine's view of the file, or a string saying why it cannot be read.
    Engines are imported on first use: libcst loads only for Python files."""
    if language == "c":
        from codemod.engines.c.analysis import Options
        from codemod.engines.c.engine import CFile
        ranges = limits.c_ranges(source, options.max_parse_memory, options.needles)
        if isinstance(ranges, limits.Skip):
            return ranges
        return CFile(source, path, Options(target=options.target, aliases=options.aliases,
                                           exec_wrappers=options.exec_wrappers,
                                           safe_functions=options.safe_functions,
                                           spawnp=options.spawnp), ranges)
    if language == "python":
        import libcst
        from codemod.engines.py.engine import PyFile
        try:
            return PyFile(source, path, options)
        except libcst.ParserSyntaxError as exc:
            return _python_syntax_error(source, exc)
        except (UnicodeDecodeError, LookupError, SyntaxError) as exc:
            return f"cannot decode (is a PEP 263 coding line missing?): {exc}"
    raise ValueError(f"no engine for {language}")


def _python_syntax_error(source: bytes, exc) -> str:
    """Where and why the file is not Python 3: CPython's own message and
    position when it refuses the file too (libcst reports some tokenizer
    errors at line 1), else libcst's."""
    import ast
    import warnings
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ast.parse(source)
    except SyntaxError as err:
        if err.lineno:
            plain = type(err) is SyntaxError
            what = "syntax error" if plain else type(err).__name__
            return f"cannot parse as Python 3: {what} at line {err.lineno}, column {max(err.offset or 1, 1)}: " \
                   f"{err.msg}" + (" (Python 2 code, or not Python)" if plain else "")
    except (ValueError, RecursionError, MemoryError):
        pass
    where = re.search(r"error at (\d+):(\d+)", exc.message)
    line, col = (int(where.group(1)), int(where.group(2)) + 1) if where else (exc.raw_line, exc.raw_column + 1)
    return f"cannot parse as Python 3: syntax error at line {line}, column {max(col, 1)} " \
           "(Python 2 code, or not Python)"


def is_actionable(f: Finding) -> bool:
    return f.verdict in (Verdict.SPAWN, Verdict.FORK, Verdict.REVIEW)


def render_only(result: FileResult, findings: list, options: RunOptions) -> Optional[bytes]:
    """The file with just these findings rewritten (and the header lines they
    need), or None when that text would not be safe to write."""
    if not findings:
        return None
    unit = result.unit
    if unit is None:
        # Analysed in a worker process: analyse again here (deterministic).
        unit = _load(result.original, result.path, result.language, options)
        if isinstance(unit, str):
            return None
        result.unit = unit
    mine = {(f.line, f.column, f.verdict): f for f in unit.findings}
    picked = [mine.get((f.line, f.column, f.verdict)) for f in findings]
    if any(p is None for p in picked):
        return None
    new = unit.render(picked)
    return None if unit.verify(new) else new
