"""`scan --format github`: GitHub Actions workflow commands, one per site,
shown as annotations on the pull request's diff.

Each site's level is its rule's (``KindInfo.level``, as in SARIF): review
sites are errors (a person must act), spawn and fork sites warnings
(`vfork-codemod apply` fixes them), notes notices."""
from __future__ import annotations

from codemod.core.kinds import KINDS
from codemod.output.common import errors
from codemod.output.formats import Report, output_format

# SARIF's levels in GitHub's words.
COMMAND = {"error": "error", "warning": "warning", "note": "notice"}


def _data(s: str) -> str:
    return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(s: str) -> str:
    return _data(s).replace(":", "%3A").replace(",", "%2C")


@output_format("github")
def write_github(report: Report, stream) -> None:
    lines = []
    for r in report.results:
        for f in r.findings:
            if f.suppressed:
                continue
            text = f.message.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
            lines.append(f"::{COMMAND[KINDS[f.rule].level]} file={_property(f.path)},line={f.line},col={f.column},"
                         f"title={_property(f.rule)}::{_data(text)}")
    for e in errors(report.results, report.missing):
        lines.append(f"::error file={_property(e['path'])},title=vfork-codemod::{_data(e['message'])}")
    stream.write("".join(line + "\n" for line in lines))
