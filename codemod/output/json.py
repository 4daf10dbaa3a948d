"""`scan --format json`: every finding, error and skipped file, and the counts."""
from __future__ import annotations

import json

from codemod.core.model import Status
from codemod.output.common import errors, path_fields, printable, summary
from codemod.output.formats import Report, output_format


@output_format("json")
def write_json(report: Report, stream) -> None:
    results = report.results
    findings = []
    for r in results:
        for f in r.findings:
            item = f.to_json()
            item.update(path_fields(f.path))
            item["message"] = printable(item["message"])
            for reason in item["reasons"]:
                reason["message"] = printable(reason["message"])
            if r.compiled is not None and f.fix is not None:
                item["compiled_with_project_flags"] = r.compiled
            findings.append(item)
    doc = {"version": 1, "findings": findings, "errors": errors(results, report.missing),
           "skipped": [{**path_fields(r.path), "message": printable(r.error or "")}
                       for r in results if r.status is Status.SKIPPED],
           "summary": summary(results, report.files)}
    if report.project is not None:
        doc["project"] = report.project
    if report.unused is not None:
        doc["unused_suppressions"] = [{**path_fields(path), "line": line, "rules": sorted(rules)}
                                      for path, line, rules in report.unused]
    stream.write(json.dumps(doc, indent=2, ensure_ascii=False) + "\n")
