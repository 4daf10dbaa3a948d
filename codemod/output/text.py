"""`scan --format text`: one `path:line:col: verdict: message` line per finding and a summary."""
from __future__ import annotations

from codemod.core import display
from codemod.core.model import Verdict
from codemod.output.color import paint
from codemod.output.common import errors, summary
from codemod.output.formats import Report, output_format


@output_format("text")
def write_text(report: Report, stream) -> None:
    """Names and messages are made safe for a terminal (:mod:`codemod.core.display`)."""
    lines = []
    for r in report.results:
        for f in r.findings:
            if f.suppressed:
                continue
            verdict = paint(f.verdict.value, f.info.colour, report.colour)
            lines.append(f"{display.path(f.path)}:{f.line}:{f.column}: {verdict}: {display.text(f.message)}")
        if len(lines) >= 4096:            # out as they come: a long run's report does not pile up
            _emit(stream, lines)
            lines = []
    for path, line, rules in report.unused or ():
        which = f"[{','.join(sorted(rules))}]" if rules else ""
        lines.append(f"{display.path(path)}:{line}: unused suppression: `vfork-codemod: ignore{which}` "
                     "covers no site")
    if report.explain:
        lines += explain(report.project)
    from codemod.core.model import applies
    fixable = sum(1 for r in report.results for f in r.findings if applies(f, include_review=False))
    s = summary(report.results, report.files)
    counts = ", ".join(f"{s[v.value]} {v.value}" for v in Verdict)
    problems = errors(report.results, report.missing)
    if not report.quiet:
        lines.append(f"{s['files']} files scanned: {counts}"
                     + (f", {s['suppressed']} suppressed" if s["suppressed"] else "")
                     + (f", {len(problems)} errors" if problems else "")
                     + (f"; {fixable} fixable with `vfork-codemod apply`" if fixable else ""))
    _emit(stream, lines)


def _emit(stream, lines: list) -> None:
    stream.flush()
    stream.buffer.write("".join(line + "\n" for line in lines).encode("utf-8", "surrogateescape"))
    stream.flush()


def explain(project) -> list:
    """`scan --explain`: the project index, a line per wrapper, redirect and helper."""
    if project is None:
        return ["project: the index did not run (no C site asked about the rest of the tree, or --no-project)"]
    out = []
    for w in project.get("wrappers", []):
        calls = len(w["calls"])
        state = "all fork-safe" if w["fork_safe"] else "not all fork-safe"
        out.append(f"project: {w['kind']} wrapper {w['name']} ({display.path(w['definition'])}): "
                   f"{calls} call{'s' if calls != 1 else ''}" + (f", {state}" if calls else ""))
    for r in project.get("redirects", []):
        calls = len(r["calls"])
        when = f", when {r['condition']}" if r["condition"] else ""
        out.append(f"project: redirect of fork to vfork ({display.path(r['definition'])}{when}): reaches "
                   f"{len(r['reaches'])} file{'s' if len(r['reaches']) != 1 else ''}, {calls} call"
                   f"{'s' if calls != 1 else ''}")
    for h in project.get("helpers", []):
        out.append(f"project: {h['kind']} {h['name']} ({display.path(h['definition'])}): {display.text(h['summary'])}")
    if "searches" in project:
        out.append(f"project: {project['searches']} searches of the tree, {project['files_read']} files read")
    return out
