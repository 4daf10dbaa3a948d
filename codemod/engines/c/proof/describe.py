"""What the project index learned, in words: the wrappers and redirects
it found with their calls, and the summary the proof gives each project
helper and macro it read (`scan --format json`'s `project`, `scan --explain`)."""
from __future__ import annotations

from codemod.core.reasons import reason
from codemod.engines.c.frontend import preproc
from codemod.engines.c.project.knowledge import NORETURN_WORDS, Knowledge
from codemod.engines.c.project.libc import Kind
from codemod.engines.c.proof import summaries
from codemod.engines.c.proof.analysis import Options


def describe(k: Knowledge, run, tree=None) -> dict:
    """What the index learned, for `scan --format json` (`project`) and
    `scan --explain`: wrappers and redirects with their calls, and the
    summary of every project helper and macro it read."""
    wrappers = [{"name": w.name, "kind": "function" if w.function else "macro", "definition": w.definition.where,
                 "via": w.via, "calls": [f"{n.path}:{n.line}" for n in k.sites.get(w.name, [])],
                 "fork_safe": all(n.fork_safe for n in k.sites.get(w.name, []))}
                for w in k.wrappers.values()]
    redirects = [{"definition": r.definition.where, "condition": r.definition.condition, "reaches": list(r.files),
                  "calls": [f"{n.path}:{n.line}" for n in k.sites.get(r.definition.where, [])],
                  "fork_safe": all(n.fork_safe for n in k.sites.get(r.definition.where, []))}
                 for r in k.redirects]
    helpers = []
    for name in sorted(k.definitions):
        defs = k.definitions[name]
        d = next((d for d in defs if d.kind in ("function", "macro")), defs[0])
        options = Options(target=run.target, exec_wrappers=run.exec_wrappers, safe_functions=run.safe_functions,
                          project=k, path=d.path)
        value = preproc.evaluate(d.text.encode("utf-8", "surrogateescape"), preproc.Config()) \
            if d.kind == "macro" and d.params is None else None
        if d.kind == "macro" and d.params is None and any(w in d.text for w in NORETURN_WORDS):
            summary = "marks declarations noreturn"
        elif value is not None:
            summary = f"the integer {value} (in pid tests and case labels)"
        else:
            summary = _summary(summaries.spec(name, k, options), k, options)
        helpers.append({"name": name, "kind": d.kind, "definition": d.where,
                        "others": [o.where for o in defs if o is not d], "summary": summary})
    out = {"wrappers": wrappers, "redirects": redirects, "helpers": helpers}
    if tree is not None:
        out["searches"] = tree.searches
        out["files_read"] = tree.reads
    return out


def _summary(spec, k, options) -> str:
    if spec is None:
        return "unknown"
    if spec.review is not None:
        kind, fields = spec.review
        return "not for a child: " + reason(kind, 0, "c", **fields).text
    if spec.macro is not None:
        return "macro, analysed where it is expanded"
    words = {Kind.EXIT: "never returns", Kind.DIAG: "writes only diagnostics to stderr",
             Kind.SAFE: "writes nothing the parent shares"}.get(spec.kind, spec.kind.value)
    if spec.kind is Kind.EXIT and spec.flushes:
        words += ", through exit() (not fork-safe in a child)"
    if spec.out_args:
        words += f"; writes through argument {', '.join(str(i + 1) for i in spec.out_args)}"
    return words
