"""`campaign report DIR`: every repository's result in one summary.

Writes DIR/summary.json, DIR/summary.md and, with ``html``, DIR/summary.html
(the same table, sortable by clicking a column head).  Repositories of the
plan with no result yet are listed as not run.
"""
from __future__ import annotations

import html
import json
import os

from codemod import __version__
from codemod.files import outdir

VERDICTS = ("spawn", "fork", "review", "note")
COLUMNS = ("repository", "status", "spawn", "fork", "review", "note", "rewritten", "commits", "first review reason",
           "errors")


def collect(out: str) -> dict:
    """The summary document of the campaign in ``out``."""
    planned = []
    try:
        with open(os.path.join(out, "plan.json"), encoding="utf-8") as fh:
            planned = json.load(fh)["repositories"]
    except (OSError, ValueError, KeyError):
        pass
    results = {}
    base = os.path.join(out, "results")
    for key in sorted(os.listdir(base)) if os.path.isdir(base) else []:
        try:
            with open(os.path.join(base, key, "result.json"), encoding="utf-8") as fh:
                results[key] = json.load(fh)
        except (OSError, ValueError):
            continue
    rows = [_row(r) for r in results.values()]
    rows.sort(key=lambda row: row["repo"])
    totals = {v: sum(row[v] for row in rows) for v in VERDICTS}
    totals.update(repositories=len(rows), rewritten=sum(row["rewritten"] for row in rows),
                  commits=sum(row["commits"] for row in rows),
                  failed=sum(1 for row in rows if row["status"] not in ("ok", "no-sources")))
    not_run = [p["repo"] for p in planned if p["key"] not in results]
    return {"version": 1, "tool_version": __version__, "repositories": rows, "totals": totals, "not_run": not_run}


def _row(r: dict) -> dict:
    summary = r.get("summary") or {}
    review = r.get("review") or []
    first = f"{review[0]['path']}:{review[0]['line']}: {review[0]['reason']}" if review else ""
    return {"repo": r["repo"], "key": r["key"], "status": r["status"], "head": r.get("head", ""),
            **{v: summary.get(v, 0) for v in VERDICTS}, "rewritten": r.get("rewritten", 0),
            "commits": len(r.get("commits") or []), "branch": r.get("branch"),
            "first_review_reason": first, "errors": ([r["error"]] if r.get("error") else []) + list(r.get("errors") or []),
            "tool_version": r.get("tool_version")}


def _cells(row: dict) -> list:
    return [row["repo"], row["status"], *(str(row[v]) for v in VERDICTS), str(row["rewritten"]), str(row["commits"]),
            row["first_review_reason"], "; ".join(row["errors"])]


def markdown(doc: dict) -> str:
    t = doc["totals"]
    lines = [f"# vfork-codemod campaign ({doc['tool_version']})", "",
             f"{t['repositories']} repositories run, {t['failed']} failed; sites: {t['spawn']} spawn, {t['fork']} fork, "
             f"{t['review']} review; {t['rewritten']} rewritten in {t['commits']} commits.", "",
             "| " + " | ".join(COLUMNS) + " |", "|" + "---|" * len(COLUMNS)]
    for row in doc["repositories"]:
        lines.append("| " + " | ".join(c.replace("|", "\\|").replace("\n", " ") for c in _cells(row)) + " |")
    if doc["not_run"]:
        lines += ["", f"Not run yet ({len(doc['not_run'])}):", ""] + [f"- {r}" for r in doc["not_run"]]
    return "\n".join(lines) + "\n"


_SORT = """<script>
document.querySelectorAll("th").forEach(function (th, col) {
  th.addEventListener("click", function () {
    var body = th.closest("table").tBodies[0], rows = Array.from(body.rows);
    var up = th.dataset.up !== "1"; th.dataset.up = up ? "1" : "0";
    rows.sort(function (a, b) {
      var x = a.cells[col].textContent, y = b.cells[col].textContent;
      var n = parseFloat(x) - parseFloat(y);
      var c = isNaN(n) ? x.localeCompare(y) : n;
      return up ? c : -c;
    });
    rows.forEach(function (r) { body.appendChild(r); });
  });
});
</script>"""


def page(doc: dict) -> str:
    head = "".join(f"<th>{html.escape(c)}</th>" for c in COLUMNS)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in _cells(row)) + "</tr>\n"
                   for row in doc["repositories"])
    t = doc["totals"]
    return (f"<!doctype html>\n<meta charset=utf-8>\n<title>vfork-codemod campaign</title>\n"
            f"<style>table{{border-collapse:collapse}}td,th{{border:1px solid #ccc;padding:2px 6px}}"
            f"th{{cursor:pointer}}</style>\n<h1>vfork-codemod campaign</h1>\n"
            f"<p>{t['repositories']} repositories, {t['failed']} failed; {t['rewritten']} sites rewritten, "
            f"{t['review']} left for review; {len(doc['not_run'])} not run yet.</p>\n"
            f"<table><thead><tr>{head}</tr></thead><tbody>\n{body}</tbody></table>\n{_SORT}\n")


def write(out: str, with_html: bool = False) -> dict:
    doc = collect(out)
    folder = outdir.prepare(out)
    outdir.write(folder, "summary.json", (json.dumps(doc, indent=2) + "\n").encode())
    outdir.write(folder, "summary.md", markdown(doc).encode())
    if with_html:
        outdir.write(folder, "summary.html", page(doc).encode())
    return doc
