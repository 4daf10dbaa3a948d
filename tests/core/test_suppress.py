"""Keeping a vfork on purpose: inline suppressions (C and Python), unused
suppressions, and a baseline of known sites that survives shifted lines."""
import json

from golden import GOLDEN

SPAWN = (GOLDEN / "c" / "spawn_decl_init" / "input.c").read_bytes()
REVIEW = (GOLDEN / "c" / "review_store_before_exec" / "input.c").read_bytes()


def _with_comment(source: bytes, comment: bytes, before: bool) -> bytes:
    """``comment`` on the line of the vfork call, or on the line before it."""
    lines = source.split(b"\n")
    i = next(n for n, line in enumerate(lines) if b"vfork()" in line)
    if before:
        lines.insert(i, b"\t" + comment)
    else:
        lines[i] = lines[i] + b"  " + comment
    return b"\n".join(lines)

def test_a_suppressed_site_is_reported_as_such_and_neither_fails_nor_changes(cli, tmp_path):
    for n, (comment, before) in enumerate([(b"/* vfork-codemod: ignore */", False),
                                           (b"// vfork-codemod: ignore", True)]):
        path = tmp_path / f"s{n}.c"
        path.write_bytes(_with_comment(REVIEW, comment, before))
        code, out, _ = cli("scan", "--format", "json", str(path))
        (f,) = json.loads(out)["findings"]
        assert f["suppressed"] is True and code == 0
        code, out, _ = cli("scan", str(path))
        assert code == 0 and b": review:" not in out and b"1 suppressed" in out
        code, out, _ = cli("diff", "--include-review", str(path))
        assert code == 0 and out == b""


def test_a_suppression_limited_to_other_rules_does_not_apply(cli, tmp_path):
    path = tmp_path / "a.c"
    path.write_bytes(_with_comment(SPAWN, b"/* vfork-codemod: ignore[vfork-review] */", False))
    code, out, _ = cli("scan", "--format", "json", str(path))
    (f,) = json.loads(out)["findings"]
    assert f["suppressed"] is False and code == 1
    path.write_bytes(_with_comment(SPAWN, b"/* vfork-codemod: ignore[vfork-review, vfork-to-spawn] */", False))
    code, out, _ = cli("scan", "--format", "json", str(path))
    assert json.loads(out)["findings"][0]["suppressed"] is True and code == 0


def test_python_suppression(cli, tmp_path):
    source = (GOLDEN / "py" / "spawn_cdll_none_module_level" / "input.py").read_bytes()
    path = tmp_path / "t.py"
    path.write_bytes(_with_comment(source, b"# vfork-codemod: ignore", False))
    code, out, _ = cli("scan", "--format", "json", str(path))
    assert [f["suppressed"] for f in json.loads(out)["findings"]] == [True] and code == 0


def test_a_directive_inside_a_string_is_not_a_suppression(cli, tmp_path):
    path = tmp_path / "a.c"
    path.write_bytes(_with_comment(SPAWN, b'char *s = "vfork-codemod: ignore";', True))
    code, out, _ = cli("scan", "--format", "json", str(path))
    assert json.loads(out)["findings"][0]["suppressed"] is False and code == 1


def test_unused_suppressions_are_reported_when_asked(cli, tmp_path):
    path = tmp_path / "a.c"
    path.write_bytes(b"/* vfork-codemod: ignore[vfork-review] */\nint x;\n" + SPAWN)
    code, out, _ = cli("scan", str(path))
    assert code == 1 and b"unused suppression" not in out
    code, out, _ = cli("scan", "--report-unused-suppressions", str(path))
    assert code == 1 and f"{path}:1: unused suppression: `vfork-codemod: ignore[vfork-review]`".encode() in out
    code, out, _ = cli("scan", "--report-unused-suppressions", "--format", "json", str(path))
    assert json.loads(out)["unused_suppressions"] == [{"path": str(path), "line": 1, "rules": ["vfork-review"]}]


def test_a_baseline_hides_known_sites_even_when_lines_shift(cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.c").write_bytes(REVIEW)
    code, out, _ = cli("scan", "--format", "json", ".")
    assert code == 1
    (tmp_path / "baseline.json").write_bytes(out)
    (tmp_path / "a.c").write_bytes(b"/* a new comment */\n/* shifts every line */\n" + REVIEW)
    code, out, _ = cli("scan", "--baseline", "baseline.json", ".")
    assert code == 0 and b"a.c:" not in out
    (tmp_path / "b.c").write_bytes(SPAWN)                      # a new site still fails the gate
    code, out, _ = cli("scan", "--baseline", "baseline.json", ".")
    assert code == 1 and b"b.c" in out and b"a.c" not in out


def test_a_bad_baseline_is_an_error(cli, tmp_path):
    (tmp_path / "a.c").write_bytes(SPAWN)
    (tmp_path / "bad.json").write_text("{}")
    code, _, err = cli("scan", "--baseline", str(tmp_path / "bad.json"), str(tmp_path))
    assert code == 2 and "bad.json" in err and "scan --format json" in err
    code, _, err = cli("scan", "--baseline", str(tmp_path / "none.json"), str(tmp_path))
    assert code == 2 and "none.json" in err
