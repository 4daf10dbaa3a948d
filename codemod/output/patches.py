"""`vfork-codemod review`: one git format-patch file per site, for reviewers."""
from __future__ import annotations

import email.utils
import hashlib
import json
import os
import re
import textwrap
import time
from typing import Optional

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


def write_patches(results: list, out_dir: str, include_auto: bool, author: Optional[str] = None) -> list:
    """Write the patch files and the index; return the index entries.

    Review sites only: each patch applies alone to the untouched tree.
    With ``include_auto`` (--all) the patches are a series: each is made on
    the file with the earlier patches of the series applied, so `git am`
    takes them in order."""
    out = outdir.prepare(out_dir)
    author = author or identity()
    entries = []
    number = 0
    applied: dict = {}        # per file: its findings already in the series, and the text they make
    # A series puts the proven rewrites first and the review proposals (RFCs)
    # after them, so a reviewer can take the first part and stop.
    phases = ((lambda f: f.verdict in (Verdict.SPAWN, Verdict.FORK)), (lambda f: f.verdict is Verdict.REVIEW)) \
        if include_auto else ((lambda f: f.verdict is Verdict.REVIEW),)
    for wanted in phases:
        for n, r in enumerate(results):
            done, base = applied.get(n, ([], r.original))
            for f in r.findings:
                if not wanted(f) or f.suppressed:
                    continue
                entry = {**{("file" if k == "path" else "file_bytes"): v for k, v in path_fields(f.path).items()},
                         "line": f.line, "column": f.column, "verdict": f.verdict.value, "rule": f.rule,
                         "function": f.function, "reason": printable(str(f.reasons[0])) if f.reasons else "",
                         "patch": None, "shown": display.path(f.path)}
                new = r.render(done + [f]) if include_auto else r.render([f])
                if new is None:
                    entry["note"] = "no rewrite can be proposed for this site; see the reasons"
                else:
                    number += 1
                    name = f"{number:04d}-{slug(f.path)}-L{f.line}.patch"
                    lines = _cited_lines(f, r.original, base)
                    diff = unified(f.path, base, new, context=_context(f.path, base, new, lines))
                    outdir.write(out, name, format_patch(f, diff, base, new, _mode(r.path), author, r.compiled))
                    entry["patch"] = name
                    if r.compiled is not None:
                        entry["compiled_with_project_flags"] = r.compiled
                    if include_auto:
                        done, base = done + [f], new
                entries.append(entry)
            applied[n] = (done, base)
    shown = [e.pop("shown") for e in entries]
    doc = {"version": 1, "series": include_auto, "patches": entries}
    outdir.write(out, "index.json", (json.dumps(doc, indent=2) + "\n").encode())
    outdir.write(out, "index.md", _index_md(entries, shown, include_auto).encode())
    return entries


def identity() -> str:
    """`Name <email>` as git would author a commit here (user.name and
    user.email, the environment, or the current user), or the tool's own
    when git cannot say."""
    import subprocess
    try:
        proc = subprocess.run(["git", "var", "GIT_AUTHOR_IDENT"], capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return AUTHOR
    ident = re.match(r"^(.*<[^>]*>)\s+\d+\s+[-+]\d{4}\s*$", proc.stdout)
    return ident.group(1) if proc.returncode == 0 and ident else AUTHOR


def _mode(path: str) -> str:
    try:
        return "100755" if os.stat(path).st_mode & 0o111 else "100644"
    except OSError:
        return "100644"


def _blob(data: bytes) -> str:
    """git's object id of a blob with these bytes."""
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


def _cited_lines(f: Finding, original: bytes, base: bytes) -> set:
    """The lines of ``base`` the finding's reasons cite (they count lines of
    the original, which earlier patches of a series may have shifted)."""
    cited = {r.line for r in f.reasons} | {f.line}
    if base is original:
        return cited
    import difflib
    a, b = original.splitlines(), base.splitlines()
    mapped = set()
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        for line in cited:
            if i1 < line <= i2:
                mapped.add(j1 + min(line - i1, max(j2 - j1, 1)))
    return mapped


def _context(path: str, old: bytes, new: bytes, cited: set) -> int:
    """Lines of context that make every cited line part of a hunk (at least 3)."""
    from unidiff import PatchSet
    tight = unified(path, old, new, context=0)
    if not tight:
        return 3
    (patched,) = PatchSet.from_string(tight, encoding="utf-8", errors="surrogateescape")
    spans = [(h.source_start, h.source_start + max(h.source_length, 1) - 1) for h in patched]
    need = 3
    for line in cited:
        distance = min(0 if lo <= line <= hi else (lo - line if line < lo else line - hi) for lo, hi in spans)
        need = max(need, distance)
    return need


def subject(f: Finding) -> str:
    """What the commit does: `launch.c: run_filter: vfork -> posix_spawn`; a
    review proposal says what it would break: `[RFC: parent reads exec_errno]`."""
    if f.fix is not None and f.fix.target:
        goal = f.fix.target
    else:
        from codemod.engines.base import engine
        goal = engine(f.language).fork_name
    head = f"{display.path(f.path)}: " + (f"{f.function}: " if f.function else "") + f"vfork -> {goal}"
    if f.verdict is not Verdict.REVIEW:
        return head
    breaks = next((r.short for r in f.reasons if r.short), "unproven child")
    return f"{head} [RFC: {display.text(breaks)}]"


def format_patch(f: Finding, diff: bytes, old: bytes, new: bytes, mode: str = "100644",
                 author: str = AUTHOR, compiled: Optional[bool] = None) -> bytes:
    """A mail in `git format-patch` form: `git am` applies it (with `-3` on a
    tree that has moved on), so does `git apply`.  The commit message is
    what the commit does and why; what only the reviewer needs goes below
    the `---` line."""
    digest = hashlib.sha1(diff).hexdigest()
    date = email.utils.formatdate(float(os.environ.get("SOURCE_DATE_EPOCH", time.time())), usegmt=True)
    head = (f"From {digest} Mon Sep 17 00:00:00 2001\n"
            f"From: {author}\n"
            f"Date: {date}\n"
            f"Subject: [PATCH] {subject(f)}\n\n")
    stat = _diffstat(f.path, diff)
    checked = "" if compiled is None else _wrap(
        "Compiled with the project's flags (compile_commands.json, -fsyntax-only) before and after: no new "
        "diagnostics." if compiled else "Not compiled with the project's flags: its compiler could not be run.") + "\n\n"
    return (head + _message(f) + "\n---\n" + _notes(f) + checked + stat + "\n").encode("utf-8") + \
        _git_diff(f.path, diff, _blob(old), _blob(new), mode) + f"-- \nvfork-codemod {__version__}\n\n".encode()


def _wrap(s: str, hang: str = "") -> str:
    return textwrap.fill(display.text(s), 72, subsequent_indent=hang, break_on_hyphens=False,
                         break_long_words=False)


def _message(f: Finding) -> str:
    """The commit message body: verdict, message, reasons."""
    lines = [_wrap(f"Verdict: {f.verdict.value} ({f.rule}). {f.message}"), ""]
    lines.append("Reasons:")
    lines += [_wrap(f"- line {r.line}: {r.text}", "  ") for r in f.reasons]
    lines.append("")
    return "\n".join(lines)


def _notes(f: Finding) -> str:
    """For the reviewer only (below `---`, so `git am` leaves it out of the commit)."""
    lines = []
    if f.verdict is Verdict.REVIEW:
        lines.append(_wrap("The diff below is the proposed fork rewrite. It is not applied by default "
                           "because the tool could not prove it keeps behaviour."))
        lines.append("")
        for decide, fix in advice(f):
            lines.append(_wrap(f"To decide: {decide}", "  "))
            lines.append(_wrap(f"Usual fix: {fix}", "  "))
            lines.append("")
    else:
        lines.append(_wrap("The tool proved this rewrite safe; it is applied by `vfork-codemod apply`."))
        lines.append("")
    return "\n".join(lines) + "\n"


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


def _git_diff(path: str, diff: bytes, old_blob: str, new_blob: str, mode: str) -> bytes:
    from codemod.core.diffs import git_name, quote_path
    name = git_name(path)
    return b"diff --git " + quote_path(b"a/" + name) + b" " + quote_path(b"b/" + name) + b"\n" + \
        f"index {old_blob}..{new_blob} {mode}\n".encode() + diff


def _index_md(entries: list, shown: list, series: bool) -> str:
    how = ("These patches are a series: each is made on the tree with the earlier ones applied. Apply them "
           "in order: `git am *.patch` (`git am -3` on a tree that has moved on). The proven rewrites come "
           "first, the review proposals ([RFC]) last: stop before them to take only what the tool proved." if series else
           "Each patch applies alone to the untouched tree (`git am NNNN-*.patch`); they are not a series: "
           "two patches for one file may not apply one after the other.")
    lines = ["# vfork-codemod review patches", "", how, "",
             "| patch | file | line | verdict | first reason |", "|---|---|---|---|---|"]
    for e, name in zip(entries, shown):
        reason = display.text(e["reason"]).replace("|", "\\|")
        name = name.replace("|", "\\|")
        lines.append(f"| {e['patch'] or '(none: ' + e.get('note', '') + ')'} | {name} "
                     f"| {e['line']} | {e['verdict']} | {reason} |")
    return "\n".join(lines) + "\n"


def commit_message(findings: list, path: str) -> str:
    """The message of a commit made by `apply --commit`: one site's (as its
    review patch says it), or a file's with each site's reasons."""
    trailer = f"\nGenerated-by: vfork-codemod {__version__}\n"
    if len(findings) == 1:
        return f"{subject(findings[0])}\n\n{_message(findings[0])}{trailer}"
    targets = sorted({f.fix.target for f in findings if f.fix is not None and f.fix.target})
    head = f"{display.path(path)}: vfork -> {' and '.join(targets) or 'fork'} ({len(findings)} sites)"
    parts = [f"Line {f.line}" + (f" ({f.function})" if f.function else "") + ":\n" + _message(f) for f in findings]
    return f"{head}\n\n" + "\n".join(parts) + trailer
