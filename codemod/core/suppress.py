"""Inline suppressions and site fingerprints.

A comment `vfork-codemod: ignore` (C: `/* ... */` or `// ...`; Python:
`# ...`) on the line of the vfork token or the line before suppresses the
site; `ignore[vfork-to-spawn,vfork-review]` only for those rules.  A
suppressed site is not rewritten, does not count for the exit status, and
is reported in JSON with `"suppressed": true`.

A fingerprint names a site independently of its line number: the path, the
rule, the function and the whitespace-normalised text of the site's line
(a baseline, SARIF's partialFingerprints).
"""
from __future__ import annotations

import dataclasses
import hashlib
import re
from typing import NamedTuple

_DIRECTIVE = re.compile(rb"vfork-codemod:\s*ignore(?:\[([^\]\n]*)\])?")


class Suppression(NamedTuple):
    line: int
    rules: frozenset        # empty: every rule
    used: bool


def comments(source: bytes, markers: tuple) -> dict:
    """line -> rules of each suppression comment (a directive after a comment marker)."""
    out = {}
    if b"vfork-codemod:" not in source:
        return out
    for m in _DIRECTIVE.finditer(source):
        start = source.rfind(b"\n", 0, m.start()) + 1
        before = source[start:m.start()]
        if not any(marker.encode() in before for marker in markers):
            continue
        rules = frozenset(r.strip().decode("ascii", "replace") for r in (m.group(1) or b"").split(b",") if r.strip())
        out[source.count(b"\n", 0, m.start()) + 1] = rules
    return out


def apply(findings: list, source: bytes, markers: tuple) -> tuple:
    """(findings with ``suppressed`` set, [(line, rules)] of suppressions that matched nothing)."""
    found = comments(source, markers)
    if not found:
        return findings, []
    used: set = set()
    out = []
    for f in findings:
        hit = next((ln for ln in (f.line, f.line - 1) if ln in found and (not found[ln] or f.rule in found[ln])),
                   None)
        if hit is not None:
            used.add(hit)
            f = dataclasses.replace(f, suppressed=True)
        out.append(f)
    return out, [(ln, rules) for ln, rules in sorted(found.items()) if ln not in used]


def site_text(lines: list, line: int) -> str:
    """The whitespace-normalised text of ``line`` (1-based) of ``lines``."""
    text = lines[line - 1] if 0 < line <= len(lines) else b""
    return " ".join(text.decode("utf-8", "surrogateescape").split())


def fingerprint(path: str, rule: str, function, text: str) -> str:
    key = "\0".join((path, rule, function or "", text)).encode("utf-8", "surrogateescape")
    return hashlib.sha256(key).hexdigest()[:32]
