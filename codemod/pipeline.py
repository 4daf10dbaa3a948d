"""One file's way through the tool: prefilter, load with its engine, choose
the fixes, render, verify.

Every outcome is a :class:`FileResult` value; nothing raised by one file
stops the others.
"""
from __future__ import annotations

import dataclasses

from codemod.core import limits
from codemod.core.model import FileResult, LoadError, Skip, Status, applies
from codemod.core.options import RunOptions
from codemod.core.reasons import reason


def select(findings: list, include_review: bool) -> tuple:
    """(the findings whose fixes are made, earliest first; all findings).
    A fix whose edits overlap an earlier chosen one is left out, and its
    finding gets a reason saying so."""
    taken: list = []
    edits: list = []
    out = list(findings)
    for i, f in sorted(enumerate(findings), key=lambda item: (item[1].line, item[1].column)):
        if not applies(f, include_review):
            continue
        if any(e.overlaps(other) for e in f.fix.edits for other in edits):
            out[i] = dataclasses.replace(f, reasons=tuple(f.reasons) + (reason("fix-overlaps", f.line, f.language),))
            continue
        taken.append(f)
        edits.extend(f.fix.edits)
    return taken, out


def _marked(findings: list, source: bytes, path: str, eng) -> tuple:
    """Findings with their fingerprints and inline suppressions, and the
    suppression comments that matched nothing."""
    from codemod.core import suppress
    lines = source.split(b"\n") if findings else []
    findings = [dataclasses.replace(f, fingerprint=suppress.fingerprint(
        f.path, f.rule, f.function, suppress.site_text(lines, f.line))) for f in findings]
    return suppress.apply(findings, source, eng.comment_markers)


def process_source(source: bytes, path: str, language: str, options: RunOptions) -> FileResult:
    """Analyse one file's bytes and compute its rewritten bytes."""
    result = _process(source, path, language, options)
    result.language = language
    return result


BINARY = "binary file (it contains NUL bytes): skipped"
UTF16 = "UTF-16 text that mentions vfork: skipped (the tool reads UTF-8 and other ASCII-based encodings; " \
        "convert it, for example with iconv -f UTF-16 -t UTF-8, to have it analysed)"


def settled(source: bytes, path: str, language: str, options: RunOptions):
    """The result of :func:`process_source` for a file no engine needs to
    parse (a filter rejects it, or it is UTF-16 or binary), cheaply; None
    for a file that needs its engine."""
    from codemod.engines.base import engine
    from codemod.files.grepfilter import utf16_mentions
    if not any(n in source for n in options.needles) and not (b"\0" in source[:4096] and utf16_mentions(source)):
        return FileResult(path, Status.UNCHANGED, [], source, language=language)
    if source.startswith((b"\xff\xfe", b"\xfe\xff")) or (b"\0" in source and utf16_mentions(source)):
        return FileResult(path, Status.SKIPPED, [], source, error=UTF16, language=language)
    if b"\0" in source:
        return FileResult(path, Status.SKIPPED, [], source, error=BINARY, language=language)
    if not engine(language).mentions(source, options.needles):
        return FileResult(path, Status.UNCHANGED, [], source, language=language)
    return None


def _process(source: bytes, path: str, language: str, options: RunOptions) -> FileResult:
    from codemod.engines.base import engine
    done = settled(source, path, language, options)
    if done is not None:
        return done
    eng = engine(language)
    return eng.guard(lambda: _analyse(eng, source, path, options), options,
                     lambda why: FileResult(path, Status.FAILED, [], source, error=f"cannot parse safely: {why}"))


def _analyse(eng, source: bytes, path: str, options: RunOptions) -> FileResult:
    try:
        unit = eng.load(source, path, options)
        if isinstance(unit, Skip):
            return FileResult(path, Status.SKIPPED, [], source, error=str(unit))
        if isinstance(unit, LoadError):
            return FileResult(path, Status.FAILED, [], source, error=str(unit))
        asks = frozenset(unit.asks)
        notes = list(unit.site_notes)
        findings, unused = _marked([limits.capped(f) for f in unit.findings], source, path, eng)
        picked, findings = select(findings, options.include_review)
        renderer = unit.renderer(options) if any(f.fix is not None for f in findings) else None
        if not picked:
            return FileResult(path, Status.UNCHANGED, findings, source, renderer=renderer,
                              unused_suppressions=unused, asks=asks, site_notes=notes)
        new = unit.render(picked)
        problem = unit.verify(new)
        if problem:
            return FileResult(path, Status.FAILED, findings, source, error=f"rewrite withheld: {problem}",
                              asks=asks, site_notes=notes)
        return FileResult(path, Status.CHANGED, findings, source, new, renderer=renderer,
                          edits=unit.edits_of(new), unused_suppressions=unused, asks=asks, site_notes=notes,
                          compiled=unit.compiled)
    except RecursionError:
        return FileResult(path, Status.FAILED, [], source, error="nesting too deep to analyse")
    except MemoryError:
        return FileResult(path, Status.FAILED, [], source,
                          error=f"out of memory while analysing it (a worker process may grow by "
                                f"{options.max_worker_memory:,} MB, --max-worker-memory); the other files "
                                "are not affected")
    except limits.TooDeep as exc:
        return FileResult(path, Status.FAILED, [], source, error=str(exc))
    except Exception as exc:  # noqa: BLE001 - one bad file must not stop the run
        return FileResult(path, Status.FAILED, [], source, error=f"internal error: {type(exc).__name__}: {exc}")

