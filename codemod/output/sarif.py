"""SARIF 2.1.0 output for code scanning (GitHub and other SARIF consumers)."""
from __future__ import annotations

import base64
import difflib
import json
import os

from codemod import __version__
from codemod.core.model import Verdict
from codemod.output.text import printable
from codemod.pipeline import render_only

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"

RULE_TEXT = {
    Verdict.SPAWN: ("vfork call that posix_spawn can replace",
                    "The child only sets up file descriptors, the session, the process group or signals, "
                    "then execs: posix_spawn does the same without sharing the parent's memory. "
                    "`vfork-codemod apply` rewrites it.", "warning"),
    Verdict.FORK: ("vfork call that fork can replace",
                   "The child is safe to run in a copy of the parent but needs more than posix_spawn offers. "
                   "`vfork-codemod apply` rewrites it to fork (and exit to _exit).", "warning"),
    Verdict.REVIEW: ("vfork call that needs a person",
                     "The tool cannot prove the child region safe to move off vfork: it writes memory the "
                     "parent reads, calls unknown functions, leaves the region, or its bounds are unclear. "
                     "`vfork-codemod review --out DIR` writes a patch explaining what to decide.", "error"),
    Verdict.NOTE: ("reference to vfork that is not a call",
                   "A declaration, a macro or vfork used as a value. Reported for completeness; never edited.",
                   "note"),
}


def rules() -> list:
    out = []
    for v in Verdict:
        short, full, level = RULE_TEXT[v]
        out.append({
            "id": v.rule,
            "name": v.rule.replace("-", " ").title().replace(" ", ""),
            "shortDescription": {"text": short},
            "fullDescription": {"text": full},
            "help": {"text": full, "markdown": full},
            "defaultConfiguration": {"level": level},
            "properties": {"verdict": v.value},
        })
    return out


def document(results: list, missing: list, options, files: int) -> dict:
    rule_index = {v.rule: i for i, v in enumerate(Verdict)}
    sarif_results = []
    for r in results:
        for f in r.findings:
            item = {
                "ruleId": f.rule,
                "ruleIndex": rule_index[f.rule],
                "level": RULE_TEXT[f.verdict][2],
                "message": {"text": printable(f.message)},
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": {"uri": _uri(f.path)},
                        "region": {"startLine": f.line, "startColumn": _code_point_column(r, f)},
                    },
                    **({"logicalLocations": [{"name": f.function, "kind": "function"}]} if f.function else {}),
                }],
                "properties": {"verdict": f.verdict.value,
                               "reasons": [{"line": x.line, "message": printable(x.text)} for x in f.reasons]},
            }
            if f.verdict in (Verdict.SPAWN, Verdict.FORK) and f.rewritable:
                new = render_only(r, [f], options)
                if new is not None:
                    item["fixes"] = [{
                        "description": {"text": f"rewrite to {'posix_spawn' if f.verdict is Verdict.SPAWN else 'fork'}"},
                        "artifactChanges": [{"artifactLocation": {"uri": _uri(f.path)},
                                             "replacements": replacements(r.original, new)}],
                    }]
            sarif_results.append(item)
    notifications = [{"level": "error", "message": {"text": f"{e['path']}: {e['message']}"}}
                     for e in _errors(results, missing)]
    return {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "vfork-codemod", "version": __version__,
                                "informationUri": "https://pypi.org/project/vfork-codemod/",
                                "rules": rules()}},
            "results": sarif_results,
            "invocations": [{"executionSuccessful": not notifications,
                             "toolExecutionNotifications": notifications}],
            "columnKind": "unicodeCodePoints",
        }],
    }


def _errors(results, missing):
    from codemod.output.text import errors
    return errors(results, missing)


def _code_point_column(result, finding) -> int:
    """The run declares unicodeCodePoints columns; the C engine counts bytes
    (a byte that is not UTF-8 counts as one code point, as Latin-1 reads)."""
    if finding.language != "c" or not result.original:
        return finding.column
    lines = result.original.split(b"\n")
    if not 0 < finding.line <= len(lines):
        return finding.column
    before = lines[finding.line - 1][: finding.column - 1]
    return len(before.decode("utf-8", "surrogateescape")) + 1


def _content(data: bytes) -> dict:
    """SARIF artifactContent: text when the bytes are UTF-8, else base64."""
    try:
        return {"text": data.decode("utf-8")}
    except UnicodeDecodeError:
        return {"binary": base64.b64encode(data).decode("ascii")}


def _uri(path: str) -> str:
    """A relative URI reference: percent-encoded bytes of the name (spaces,
    non-ASCII and undecodable bytes alike), as SARIF requires."""
    from urllib.parse import quote
    if os.sep == "\\":
        path = path.replace("\\", "/")
    if path.startswith("./"):
        path = path.lstrip("./")
    return quote(path.encode("utf-8", "surrogateescape"), safe="/")


def replacements(old: bytes, new: bytes) -> list:
    """Line-level byte replacements turning ``old`` into ``new``."""
    a = old.splitlines(keepends=True)
    b = new.splitlines(keepends=True)
    offsets = [0]
    for line in a:
        offsets.append(offsets[-1] + len(line))
    out = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        out.append({
            "deletedRegion": {"byteOffset": offsets[i1], "byteLength": offsets[i2] - offsets[i1]},
            "insertedContent": _content(b"".join(b[j1:j2])),
        })
    return out


def as_sarif(results: list, missing: list, options, files: int) -> str:
    return json.dumps(document(results, missing, options, files), indent=2, ensure_ascii=False) + "\n"
