"""`vfork-codemod review`: one git format-patch file per site, for reviewers."""
from __future__ import annotations

import email.utils
import hashlib
import json
import os
import re
import textwrap
import time

from codemod import __version__
from codemod.core import display
from codemod.files import outdir
from codemod.core.reasons import advice
from codemod.core.diffs import unified
from codemod.core.model import Finding, Verdict
from codemod.output.common import path_fields, printable

AUTHOR = "vfork-codemod <vfork-codemod@localhost>"


SLUG_MAX = 80     # bytes; patch names stay far below the usual 255-byte limit


def slug(path: str) -> str:
    """The path as a file name part: letters, digits, `.` and `_`, the rest
    `-`; a long one keeps its end and gets a hash of the whole."""
    s = re.sub(r"[^A-Za-z0-9._]+", "-", path).strip("-.") or "file"
    if len(s) <= SLUG_MAX:
        return s
    digest = hashlib.sha1(path.encode("utf-8", "surrogateescape")).hexdigest()[:8]
    return s[-(SLUG_MAX - 9):].lstrip("-.") + "-" + digest


def write_patches(results: list, out_dir: str, include_auto: bool) -> list:
    """Write the patch files and the index; return the index entries."""
    out = outdir.prepare(out_dir)
    entries = []
    number = 0
    for r in results:
        for f in r.findings:
            if f.verdict is Verdict.NOTE or (f.verdict is not Verdict.REVIEW and not include_auto):
                continue
            entry = {**{("file" if k == "path" else "file_bytes"): v for k, v in path_fields(f.path).items()},
                     "line": f.line, "column": f.column, "verdict": f.verdict.value,
                     "function": f.function, "reason": printable(str(f.reasons[0])) if f.reasons else "",
                     "patch": None, "shown": display.path(f.path)}
            new = r.render([f])
            if new is None:
                entry["note"] = "no rewrite can be proposed for this site; see the reasons"
            else:
                number += 1
                name = f"{number:04d}-{slug(f.path)}-L{f.line}.patch"
                outdir.write(out, name, format_patch(f, unified(f.path, r.original, new), number))
                entry["patch"] = name
            entries.append(entry)
    shown = [e.pop("shown") for e in entries]
    outdir.write(out, "index.json", (json.dumps({"version": 1, "patches": entries}, indent=2) + "\n").encode())
    outdir.write(out, "index.md", _index_md(entries, shown).encode())
    return entries


def format_patch(f: Finding, diff: bytes, number: int) -> bytes:
    """A mail in `git format-patch` form: `git am` applies it, so does `git apply`."""
    digest = hashlib.sha1(diff).hexdigest()
    where = f"{display.path(f.path)}:{f.line}" + (f" ({f.function})" if f.function else "")
    subject = f"vfork: {'review' if f.verdict is Verdict.REVIEW else f.verdict.value} {where}"
    date = email.utils.formatdate(float(os.environ.get("SOURCE_DATE_EPOCH", time.time())), usegmt=True)
    head = (f"From {digest} Mon Sep 17 00:00:00 2001\n"
            f"From: {AUTHOR}\n"
            f"Date: {date}\n"
            f"Subject: [PATCH] {subject}\n\n")
    body = _body(f)
    stat = _diffstat(f.path, diff)
    return (head + body + "\n---\n" + stat + "\n").encode("utf-8") + _git_diff(f.path, diff) + \
        f"-- \nvfork-codemod {__version__}\n\n".encode()


def _body(f: Finding) -> str:
    def wrap(s: str, hang: str = "") -> str:
        return textwrap.fill(display.text(s), 72, subsequent_indent=hang, break_on_hyphens=False,
                             break_long_words=False)
    lines = [wrap(f"Verdict: {f.verdict.value} ({f.rule}). {f.message}"), ""]
    lines.append("Reasons:")
    lines += [wrap(f"- line {r.line}: {r.text}", "  ") for r in f.reasons]
    lines.append("")
    if f.verdict is Verdict.REVIEW:
        lines.append(wrap("The diff below is the proposed fork rewrite. It is not applied by default "
                          "because the tool could not prove it keeps behaviour."))
        lines.append("")
        for decide, fix in advice(f):
            lines.append(wrap(f"To decide: {decide}", "  "))
            lines.append(wrap(f"Usual fix: {fix}", "  "))
            lines.append("")
    else:
        lines.append(wrap("The tool proved this rewrite safe; it is applied by `vfork-codemod apply`."))
        lines.append("")
    return "\n".join(lines)


def _diffstat(path: str, diff: bytes) -> str:
    """git's diffstat: the name quoted as in the diff header."""
    from unidiff import PatchSet
    from codemod.core.diffs import git_name
    (patched,) = PatchSet.from_string(diff, encoding="utf-8", errors="surrogateescape")
    plus, minus = patched.added, patched.removed
    graph = "+" * min(plus, 40) + "-" * min(minus, 40)
    name = display.path(git_name(path).decode("utf-8", "surrogateescape"))
    return (f" {name} | {plus + minus} {graph}\n"
            f" 1 file changed, {plus} insertion{'s' if plus != 1 else ''}(+), "
            f"{minus} deletion{'s' if minus != 1 else ''}(-)\n")


def _git_diff(path: str, diff: bytes) -> bytes:
    from codemod.core.diffs import git_name, quote_path
    name = git_name(path)
    return b"diff --git " + quote_path(b"a/" + name) + b" " + quote_path(b"b/" + name) + b"\n" + diff


def _index_md(entries: list, shown: list) -> str:
    lines = ["# vfork-codemod review patches", "",
             "| patch | file | line | verdict | first reason |", "|---|---|---|---|---|"]
    for e, name in zip(entries, shown):
        reason = display.text(e["reason"]).replace("|", "\\|")
        name = name.replace("|", "\\|")
        lines.append(f"| {e['patch'] or '(none: ' + e.get('note', '') + ')'} | {name} "
                     f"| {e['line']} | {e['verdict']} | {reason} |")
    return "\n".join(lines) + "\n"
