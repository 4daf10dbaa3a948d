"""SARIF 2.1.0 output for code scanning (GitHub and other SARIF consumers)."""
from __future__ import annotations

import base64
import difflib
import json
import os

from codemod import __version__
from codemod.core.kinds import KINDS
from codemod.core.model import Applicability
from codemod.output.common import errors, printable
from codemod.output.formats import Report, output_format

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"

def rules() -> list:
    out = []
    for info in KINDS.values():
        out.append({
            "id": info.rule,
            "name": info.rule.replace("-", " ").title().replace(" ", ""),
            "shortDescription": {"text": info.title},
            "fullDescription": {"text": info.help},
            "help": {"text": info.help, "markdown": info.help},
            "defaultConfiguration": {"level": info.level},
            "properties": {"verdict": info.verdict.value},
        })
    return out


def document(results: list, missing: list) -> dict:
    rule_index = {rule: i for i, rule in enumerate(KINDS)}
    sarif_results = []
    for r in results:
        for f in r.findings:
            item = {
                "ruleId": f.rule,
                "ruleIndex": rule_index[f.rule],
                "level": f.info.level,
                "message": {"text": printable(f.message)},
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": _location(f.path),
                        "region": {"startLine": f.line, "startColumn": _code_point_column(r, f)},
                    },
                    **({"logicalLocations": [{"name": f.function, "kind": "function"}]} if f.function else {}),
                }],
                "partialFingerprints": {"vforkSite/v1": f.fingerprint},
                **({"suppressions": [{"kind": "inSource"}]} if f.suppressed else {}),
                "properties": {"verdict": f.verdict.value,
                               "reasons": [{"line": x.line, "kind": x.kind, "message": printable(x.text)}
                                           for x in f.reasons]},
            }
            if f.fix is not None and f.fix.applicability is Applicability.SAFE:
                new = r.render([f])
                if new is not None:
                    item["fixes"] = [{
                        "description": {"text": f.info.fix_text},
                        "artifactChanges": [{"artifactLocation": _location(f.path),
                                             "replacements": replacements(r.original, new)}],
                    }]
            sarif_results.append(item)
    notifications = [{"level": "error", "message": {"text": f"{e['path']}: {e['message']}"}}
                     for e in errors(results, missing)]
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
            "originalUriBaseIds": {BASE_ID: {"uri": _file_uri(os.getcwd()) + "/"}},
        }],
    }


def _code_point_column(result, finding) -> int:
    """The run declares unicodeCodePoints columns; an engine that counts
    bytes has its columns converted (a byte that is not UTF-8 counts as one
    code point, as Latin-1 reads)."""
    from codemod.engines.base import engine
    if engine(finding.language).column_unit != "bytes" or not result.original:
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


BASE_ID = "SRCROOT"     # relative paths are relative to the folder the tool ran in


def _location(path: str) -> dict:
    """An absolute path as a file:// URI; a relative one against SRCROOT."""
    if os.path.isabs(path):
        return {"uri": _file_uri(path)}
    return {"uri": _uri(path), "uriBaseId": BASE_ID}


def _file_uri(path: str) -> str:
    from urllib.parse import quote
    return "file://" + quote(os.path.abspath(path).encode("utf-8", "surrogateescape"), safe="/")


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


@output_format("sarif")
def write_sarif(report: Report, stream) -> None:
    stream.write(json.dumps(document(report.results, report.missing), indent=2, ensure_ascii=False) + "\n")
