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
    for path, line, rules in report.unused or ():
        which = f"[{','.join(sorted(rules))}]" if rules else ""
        lines.append(f"{display.path(path)}:{line}: unused suppression: `vfork-codemod: ignore{which}` "
                     "covers no site")
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
    stream.flush()
    stream.buffer.write("".join(line + "\n" for line in lines).encode("utf-8", "surrogateescape"))
    stream.flush()
