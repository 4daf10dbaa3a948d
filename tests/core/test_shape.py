"""The joins between the parts: engine registry, fixes and their
applicability, reason kinds, report formats, renders that cross processes."""
import json
import pickle
import re

import pytest

from codemod.core.model import Applicability, Finding, Fix, Status, Verdict, applies
from codemod.core.options import RunOptions
from codemod.core.reasons import KINDS
from codemod.pipeline import process_source

from conftest import ROOT
GOLDEN = ROOT / "tests" / "golden"


def test_the_registry_knows_every_engine_and_its_files():
    from codemod.engines.base import engine, engines, extensions, handled_files
    assert {e.language for e in engines()} == {"c", "python"}
    assert extensions() == {".c": "c", ".h": "c", ".py": "python"}
    assert handled_files() == "C or Python file (.c, .h, .py)"
    assert engine("c").column_unit == "bytes" and engine("python").column_unit == "code points"


def test_no_language_dispatch_outside_the_engines():
    """Adding a language must not mean editing the walk, the pipeline or the outputs."""
    offenders = []
    for path in (ROOT / "codemod").rglob("*.py"):
        rel = path.relative_to(ROOT / "codemod").as_posix()
        if rel.startswith("engines/") or rel == "core/reasons.py":
            continue
        for n, line in enumerate(path.read_text().splitlines(), 1):
            if re.search(r"""language\s*[!=]=\s*["']|["'](c|python)["']\s*[!=]=""", line):
                offenders.append(f"{rel}:{n}: {line.strip()}")
    assert not offenders


def test_an_engine_words_its_own_load_errors():
    from codemod.core.model import LoadError
    from codemod.engines.base import engine
    loaded = engine("python").load(b"print 'x'\nvfork\n", "old.py", RunOptions())
    assert isinstance(loaded, LoadError) and "line 1" in loaded and "Python 2" in loaded


@pytest.mark.parametrize("verdict,applicability,default,opted", [
    (Verdict.SPAWN, Applicability.SAFE, True, True),
    (Verdict.FORK, Applicability.SAFE, True, True),
    (Verdict.REVIEW, Applicability.UNSAFE, False, True),
    (Verdict.NOTE, Applicability.DISPLAY, False, False),
])
def test_applies_follows_the_applicability(verdict, applicability, default, opted):
    f = Finding("a.c", 1, 1, "c", verdict, "m", (), None, Fix(applicability, 0))
    assert applies(f, include_review=False) is default
    assert applies(f, include_review=True) is opted
    assert not applies(Finding("a.c", 1, 1, "c", verdict, "m"), include_review=True)


def test_each_verdict_is_one_row_of_the_kinds_table():
    from codemod.core.kinds import KINDS as VERDICT_KINDS
    from codemod.output.sarif import rules
    assert [r["id"] for r in rules()] == list(VERDICT_KINDS)
    assert {row.verdict for row in VERDICT_KINDS.values()} == set(Verdict)
    assert all(VERDICT_KINDS[v.rule].verdict is v for v in Verdict)


def test_findings_are_values():
    result = process_source((GOLDEN / "c" / "mixed_sites" / "input.c").read_bytes(), "m.c", "c", RunOptions())
    f = result.findings[0]
    with pytest.raises(AttributeError):
        f.verdict = Verdict.NOTE


def _golden_results():
    for lang, ext, language in (("c", "c", "c"), ("py", "py", "python")):
        for case in sorted((GOLDEN / lang).iterdir()):
            src = case / f"input.{ext}"
            if src.exists():
                yield process_source(src.read_bytes(), src.name, language, RunOptions(include_review=True))


def test_every_reason_has_a_kind_from_the_catalogue():
    kinds = set()
    for result in _golden_results():
        for f in result.findings:
            assert f.reasons, f
            for r in f.reasons:
                assert r.kind in KINDS, r
                kinds.add(r.kind)
    assert len(kinds) > 30


def test_json_and_sarif_carry_the_kind(cli, tmp_path):
    (tmp_path / "a.c").write_bytes((GOLDEN / "c" / "review_store_before_exec" / "input.c").read_bytes())
    _, out, _ = cli("scan", "--format", "json", str(tmp_path))
    (f,) = json.loads(out)["findings"]
    assert f["reasons"][0]["kind"] == "shared-write"
    _, out, _ = cli("scan", "--format", "sarif", str(tmp_path))
    (item,) = json.loads(out)["runs"][0]["results"]
    assert item["properties"]["reasons"][0]["kind"] == "shared-write"


def test_every_format_name_is_registered():
    from codemod.output import formats
    assert set(formats.NAMES) == {n for n in formats.NAMES if formats.writer(n)} == set(formats._FORMATS)


@pytest.mark.parametrize("case,language,ext", [
    ("mixed_sites", "c", "c"), ("spawn_session_and_signals", "python", "py"),
])
def test_renders_cross_processes_without_a_second_parse(case, language, ext, monkeypatch):
    """What a worker sends back renders single fixes in the main process, and
    nothing there parses the file again."""
    folder = "c" if language == "c" else "py"
    source = (GOLDEN / folder / case / f"input.{ext}").read_bytes()
    result = process_source(source, f"x.{ext}", language, RunOptions(include_review=True, renders=True))
    assert result.status is Status.CHANGED
    sent = pickle.loads(pickle.dumps(result))
    from codemod.engines.c import engine as c_engine
    from codemod.engines.py import engine as py_engine

    def no_parse(*args, **kwargs):
        raise AssertionError("parsed again")
    monkeypatch.setattr(c_engine.CFile, "__init__", no_parse)
    monkeypatch.setattr(py_engine.PyFile, "__init__", no_parse)
    fixed = [f for f in sent.findings if f.fix is not None]
    assert sent.render(fixed) == result.new
    for f in fixed:
        single = sent.render([f])
        assert single is not None and single != source


def test_python_renders_are_made_only_when_the_command_needs_them():
    source = (GOLDEN / "py" / "spawn_session_and_signals" / "input.py").read_bytes()
    result = process_source(source, "x.py", "python", RunOptions())
    assert result.renderer is None and result.render([f for f in result.findings if f.fix]) is None


def test_a_python_failure_tail_that_prints_to_stderr_is_kept_with_fork():
    source = b"""import ctypes, os, sys
libc = ctypes.CDLL(None, use_errno=True)

def run(path):
    pid = libc.vfork()
    if pid == 0:
        os.execv(path, [path])
        print("exec failed", file=sys.stderr)
        os._exit(127)
    if pid < 0:
        return -1
    return pid
"""
    result = process_source(source, "t.py", "python", RunOptions())
    assert result.error is None
    assert [f.verdict for f in result.findings] == [Verdict.FORK]
    assert result.findings[0].message == (
        'fixable with os.fork: `print("exec failed", file=sys.stderr)` tells why exec failed; a failed '
        'os.posix_spawn raises in the parent instead, so fork keeps the message and the exit status')
    silent = source.replace(b'        print("exec failed", file=sys.stderr)\n', b"")
    assert [f.verdict for f in process_source(silent, "t.py", "python", RunOptions()).findings] == [Verdict.SPAWN]


def _package_modules():
    import ast
    for path in sorted((ROOT / "codemod").rglob("*.py")):
        yield path.relative_to(ROOT / "codemod").as_posix(), ast.parse(path.read_text())


def test_no_private_name_crosses_modules():
    """A name starting with `_` is its module's own: no other module of the
    package imports it or reads it through the module (`preproc._DIRECTIVE`)."""
    import ast
    ours = {}
    for rel, tree in _package_modules():
        ours[rel] = tree
    offenders = []
    for rel, tree in ours.items():
        modules = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("codemod"):
                for a in node.names:
                    if a.name.startswith("_") and not a.name.startswith("__"):
                        offenders.append(f"{rel}:{node.lineno}: from {node.module} import {a.name}")
                    modules.add(a.asname or a.name)
            elif isinstance(node, ast.Import):
                modules |= {a.asname or a.name.split(".")[0] for a in node.names if a.name.startswith("codemod")}
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in modules \
                    and node.attr.startswith("_") and not node.attr.startswith("__") and node.attr != "_replace":
                offenders.append(f"{rel}:{node.lineno}: {node.value.id}.{node.attr}")
    assert not offenders


def test_core_imports_no_other_layer():
    """core/ holds values and rules every part shares: it imports neither the
    engines nor the files, outputs or command line (they import it)."""
    import ast
    offenders = []
    for rel, tree in _package_modules():
        if not rel.startswith("core/"):
            continue
        for node in ast.walk(tree):
            names = [node.module or ""] if isinstance(node, ast.ImportFrom) else \
                [a.name for a in node.names] if isinstance(node, ast.Import) else []
            for name in names:
                if name.startswith("codemod.") and not name.startswith("codemod.core"):
                    offenders.append(f"{rel}:{node.lineno}: {name}")
    assert not offenders


def test_a_rule_row_is_what_every_output_reads(monkeypatch):
    """A rule's level, colour and example live in its row: `rule`, SARIF
    and the GitHub commands read them there (change the row, the outputs
    follow)."""
    import dataclasses
    from codemod.core import kinds
    from codemod.output import color, github, rules
    for rule, info in kinds.KINDS.items():
        assert info.example[0] and info.example[0].split("\n")[0] in rules.explain(rule)
        assert info.level in github.COMMAND and info.colour in color.CODES
    changed = dict(kinds.KINDS, **{"vfork-to-fork": dataclasses.replace(kinds.KINDS["vfork-to-fork"], level="error",
                                                                         example=("fork_before();", "x"))})
    monkeypatch.setattr(kinds, "KINDS", changed)
    monkeypatch.setattr(github, "KINDS", changed)
    monkeypatch.setattr(rules, "KINDS", changed)
    assert "fork_before();" in rules.explain("vfork-to-fork")
    f = Finding("a.c", 3, 5, "c", Verdict.FORK, "fixable with fork", (), None, Fix(Applicability.SAFE, 0))
    from codemod.core.model import FileResult
    import io
    out = io.StringIO()
    github.write_github(type("R", (), {"results": [FileResult("a.c", Status.UNCHANGED, [f], b"")],
                                       "missing": []})(), out)
    assert out.getvalue().startswith("::error file=a.c,line=3,col=5,title=vfork-to-fork::")


NEW_KIND = """from codemod.core.model import Applicability, KindInfo, Verdict

RULE = KindInfo("vfork-to-demo", Verdict.FORK, "a demonstration kind", "Demonstrates a new kind.", "note", "fork",
                Applicability.SAFE, "rewrite to demo", example=("demo_before();", "demo_after();"), order=99,
                reasons=(("demo-reason", "the demo rewrote `{name}`", None),))
"""


def test_a_new_kind_is_one_module_that_every_output_reads(tmp_path, monkeypatch):
    """Adding a kind is adding a module to codemod.core.kinds: the rule
    list, SARIF's rules, `rule`, docs/rules.md's table, the GitHub level,
    the text colour and the reason catalogue all take it from the row."""
    import io
    import sys
    from codemod.core import kinds, reasons
    from codemod.core.model import FileResult
    from codemod.output import color, github, rules, sarif
    import codemod.core.kinds as package
    (tmp_path / "demo.py").write_text(NEW_KIND)
    monkeypatch.setattr(package, "__path__", list(package.__path__) + [str(tmp_path)])
    monkeypatch.delitem(sys.modules, "codemod.core.kinds.demo", raising=False)
    rows = kinds.collect()
    assert [r.rule for r in rows][-1] == "vfork-to-demo" and len(rows) == len(kinds.ROWS) + 1
    table = {row.rule: row for row in rows}
    for module in (kinds, github, rules, sarif):
        monkeypatch.setattr(module, "KINDS", table)
    monkeypatch.setattr(kinds, "DEFAULT_RULES", {row.verdict: row.rule for row in reversed(rows)})
    catalogue = dict(reasons.KINDS, **{k: reasons.Kind(t, a) for row in rows for k, t, a in row.reasons})
    monkeypatch.setattr(reasons, "KINDS", catalogue)
    assert "demo_before();" in rules.explain("vfork-to-demo") and "vfork-to-demo" in rules.listing()
    assert "`vfork-to-demo`" in rules.document()
    assert [r["id"] for r in sarif.rules()][-1] == "vfork-to-demo"
    assert reasons.reason("demo-reason", 4, name="x").text == "the demo rewrote `x`"
    f = Finding("a.c", 3, 5, "c", Verdict.FORK, "fixable with demo", (), None,
                Fix(Applicability.SAFE, 0, kind="vfork-to-demo"))
    out = io.StringIO()
    github.write_github(type("R", (), {"results": [FileResult("a.c", Status.UNCHANGED, [f], b"")],
                                       "missing": []})(), out)
    assert out.getvalue().startswith("::notice file=a.c,line=3,col=5,title=vfork-to-demo::")
    assert f.info.colour == "fork" and f.rule == "vfork-to-demo"
    assert color.paint("fork", f.info.colour, True) == color.paint("fork", "fork", True) != "fork"


def test_c_rewrites_are_plug_ins_the_engine_does_not_name():
    """Each C rewrite is a module of engines/c/rewrite registering a
    Rewrite with its row; the modules that run the stages (engine, reading)
    ask the registry and import no plug-in, so a new rewrite kind touches
    its plug-in (and its row and golden cases), nothing else."""
    import ast
    from codemod.core.kinds import KINDS
    from codemod.engines.c.rewrite import base
    plugged = base.rewrites()
    assert {type(r).__module__.rsplit(".", 1)[1] for r in plugged} == {"spawn", "fork", "handoff"}
    assert all(KINDS[r.rule.rule] is r.rule for r in plugged)
    assert type(base.choose(type("D", (), {"verdict": Verdict.REVIEW, "child": None})())).__name__ == "Fork"
    plug_ins = {type(r).__module__ for r in plugged}
    for rel, tree in _package_modules():
        if rel not in ("engines/c/engine.py", "engines/c/reading.py", "engines/c/__init__.py"):
            continue
        source = (ROOT / "codemod" / rel).read_text()
        assert "vfork-to-" not in source, rel
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module:
                names = {node.module} | {f"{node.module}.{a.name}" for a in node.names}
                assert not names & plug_ins, f"{rel}:{node.lineno} imports a rewrite plug-in"


def test_a_registered_rewrite_makes_the_finding_it_applies_to(monkeypatch):
    from codemod.engines.c.engine import CFile
    from codemod.engines.c.rewrite import base
    from codemod.core.kinds import KINDS
    monkeypatch.setattr(base, "_REGISTERED", list(base.rewrites()))

    @base.rewrite
    class Marked(base.Rewrite):
        rule = KINDS["vfork-to-fork"]
        priority = 0

        def applies(self, decision):
            return decision.verdict is Verdict.FORK

        def finding(self, target, finding, key, site, decision):
            import dataclasses
            return dataclasses.replace(finding, message=f"marked at byte {site.call.start_byte}")
    source = (GOLDEN / "c" / "fork_chdir_unchecked" / "input.c").read_bytes()
    (f,) = CFile(source, "a.c").findings
    assert f.message == f"marked at byte {source.index(b'vfork()')}"


C_STAGES = ("frontend", "project", "proof", "rewrite")   # in import order; the engine's own modules come last


def _c_imports():
    """{module: the C engine modules it imports}, names relative to
    engines/c (`proof.analysis`, `engine`), top-level and late imports alike."""
    import ast
    graph = {}
    for rel, tree in _package_modules():
        if not rel.startswith("engines/c/"):
            continue
        me = rel[len("engines/c/"):-3].replace("/", ".").removesuffix(".__init__")
        deps = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("codemod.engines.c"):
                rest = node.module[len("codemod.engines.c"):].lstrip(".")
                deps |= {f"{rest}.{a.name}" if rest in C_STAGES else rest or a.name for a in node.names}
            elif isinstance(node, ast.Import):
                deps |= {a.name[len("codemod.engines.c."):] for a in node.names if a.name.startswith("codemod.engines.c.")}
        graph[me] = deps - {me}
    return graph


def _stage(module: str) -> int:
    first = module.split(".")[0]
    return C_STAGES.index(first) if first in C_STAGES else len(C_STAGES)


def test_the_c_engine_stages_import_only_earlier_stages():
    """frontend -> project -> proof -> rewrite -> the engine: a stage reads
    the ones before it and never a later one, so each can be read alone."""
    graph = _c_imports()
    assert {m.split(".")[0] for m in graph if "." in m} == set(C_STAGES)
    upward = [f"{m} imports {d}" for m, deps in graph.items() for d in deps if _stage(d) > _stage(m)]
    assert not upward


def test_the_c_engine_modules_import_in_one_direction():
    """No cycle of imports, of any length, between C engine modules: each
    can be read knowing only what it imports.  (summaries is handed the
    checker it reads a helper with; a configuration asks a Reading, not a
    new CFile.)"""
    graph = _c_imports()
    state: dict = {}
    cycle: list = []

    def visit(module, path):
        state[module] = "open"
        for dep in sorted(graph.get(module, ())):
            if state.get(dep) == "open":
                cycle.append(path[path.index(dep):] + [dep] if dep in path else [module, dep])
            elif dep not in state:
                visit(dep, path + [dep])
        state[module] = "done"
    for module in sorted(graph):
        if module not in state:
            visit(module, [module])
    assert not cycle
