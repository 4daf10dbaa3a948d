"""What every report says the same way: safe text, file name fields, counts, errors."""
from __future__ import annotations

from collections import Counter

from codemod.core.model import Status, Verdict


def printable(s: str) -> str:
    """Text safe to print: undecodable source bytes become U+FFFD."""
    return s.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def path_fields(path: str) -> dict:
    """JSON fields naming a file: ``path`` as text, and ``path_bytes``
    (base64 of the exact name) when the name is not valid UTF-8."""
    try:
        path.encode("utf-8")
    except UnicodeEncodeError:
        import base64
        raw = path.encode("utf-8", "surrogateescape")
        return {"path": printable(path), "path_bytes": base64.b64encode(raw).decode("ascii")}
    return {"path": path}


def summary(results: list, files: int) -> dict:
    """Counts for the run; ``files`` is the number of files read (most of
    which have no result at all: they do not mention vfork)."""
    verdicts = Counter(f.verdict.value for r in results for f in r.findings if not f.suppressed)
    return {
        "files": files,
        "files_with_findings": sum(1 for r in results if r.findings),
        "errors": sum(1 for r in results if r.status is Status.FAILED),
        "skipped": sum(1 for r in results if r.status is Status.SKIPPED),
        **{v.value: verdicts.get(v.value, 0) for v in Verdict},
        "suppressed": sum(1 for r in results for f in r.findings if f.suppressed),
    }


def errors(results: list, missing: list) -> list:
    out = [{**path_fields(m.display), "message": m.reason} for m in missing]
    out += [{**path_fields(r.path), "message": printable(r.error or "")}
            for r in results if r.status is Status.FAILED]
    return out
