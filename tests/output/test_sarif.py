"""`scan --format sarif`: the structure SARIF 2.1.0 requires and GitHub
code scanning reads, and fixes that reproduce the rewrite."""
import json
import shutil

from golden import GOLDEN

MIXED = GOLDEN / "c" / "mixed_sites"
REVIEW = (GOLDEN / "c" / "review_store_before_exec" / "input.c").read_bytes()


def scan_sarif(cli, *paths):
    code, out, _ = cli("scan", "--format", "sarif", *map(str, paths))
    return code, json.loads(out)


def test_required_structure(cli, tmp_path):
    shutil.copy(MIXED / "input.c", tmp_path / "m.c")
    code, doc = scan_sarif(cli, tmp_path / "m.c")
    assert code == 1
    assert doc["version"] == "2.1.0" and doc["$schema"].endswith("sarif-2.1.0.json")
    (run,) = doc["runs"]
    driver = run["tool"]["driver"]
    assert driver["name"] == "vfork-codemod" and driver["version"]
    rules = driver["rules"]
    assert [r["id"] for r in rules] == ["vfork-to-spawn", "vfork-to-fork", "vfork-review", "vfork-reference",
                                        "vfork-to-fork-pipe"]
    for rule in rules:
        assert rule["shortDescription"]["text"] and rule["help"]["text"]
        assert rule["defaultConfiguration"]["level"] in ("note", "warning", "error")
    results = run["results"]
    assert [(r["ruleId"], r["locations"][0]["physicalLocation"]["region"]["startLine"]) for r in results] == \
        [("vfork-to-spawn", 12), ("vfork-to-fork", 29), ("vfork-review", 48)]
    for r in results:
        assert r["message"]["text"]
        assert rules[r["ruleIndex"]]["id"] == r["ruleId"]
        loc = r["locations"][0]["physicalLocation"]
        assert loc["artifactLocation"]["uri"].endswith("m.c")
        assert loc["region"]["startColumn"] == 8
    assert "fixes" in results[0] and "fixes" in results[1] and "fixes" not in results[2]


def test_fix_replacements_reproduce_the_single_site_rewrite(cli, tmp_path):
    shutil.copy(MIXED / "input.c", tmp_path / "m.c")
    original = (tmp_path / "m.c").read_bytes()
    _, doc = scan_sarif(cli, tmp_path / "m.c")
    fork = doc["runs"][0]["results"][1]
    (change,) = fork["fixes"][0]["artifactChanges"]
    out = original
    for rep in sorted(change["replacements"], key=lambda r: -r["deletedRegion"]["byteOffset"]):
        start = rep["deletedRegion"]["byteOffset"]
        out = out[:start] + rep["insertedContent"]["text"].encode() + out[start + rep["deletedRegion"]["byteLength"]:]
    assert out == original.replace(b"\tpid = vfork();\n\tif (pid < 0)\n\t\treturn -1;\n\tif (pid == 0) {\n\t\tumask",
                                   b"\tpid = fork();\n\tif (pid < 0)\n\t\treturn -1;\n\tif (pid == 0) {\n\t\tumask")


def test_errors_become_notifications(cli, tmp_path):
    code, doc = scan_sarif(cli, tmp_path / "missing.c")
    assert code == 2
    inv = doc["runs"][0]["invocations"][0]
    assert inv["executionSuccessful"] is False
    assert "missing.c: no such file or directory" in inv["toolExecutionNotifications"][0]["message"]["text"]


def _apply_replacements(original: bytes, change: dict) -> bytes:
    import base64
    out = original
    for rep in sorted(change["replacements"], key=lambda r: -r["deletedRegion"]["byteOffset"]):
        start = rep["deletedRegion"]["byteOffset"]
        content = rep["insertedContent"]
        data = content["text"].encode() if "text" in content else base64.b64decode(content["binary"])
        out = out[:start] + data + out[start + rep["deletedRegion"]["byteLength"]:]
    return out


def test_columns_count_code_points_and_latin1_fixes_are_exact(cli, tmp_path):
    """The run says unicodeCodePoints: a UTF-8 `é` before the site counts once.
    A fix whose text is not UTF-8 (a Latin-1 string copied into the rewrite)
    is carried as binary content, so it reproduces the bytes."""
    src = (GOLDEN / "c" / "spawn_decl_init" / "input.c").read_bytes()
    assert b"\tpid_t pid = vfork();" in src
    utf8 = src.replace(b"\tpid_t pid = vfork();", "\tpid_t /*é*/ pid = vfork();".encode())
    (tmp_path / "u.c").write_bytes(utf8)
    _, doc = scan_sarif(cli, tmp_path / "u.c")
    region = doc["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]
    line = utf8.split(b"\n")[region["startLine"] - 1].decode()
    assert region["startColumn"] == line.index("vfork") + 1 == line.encode().index(b"vfork")
    case = GOLDEN / "c" / "style_latin1_comment"
    latin1, expected = (case / "input.c").read_bytes(), (case / "expected.c").read_bytes()
    latin1 = latin1.replace(b'"latin-1 survives"', b'"caf\xe9"')
    expected = expected.replace(b'"latin-1 survives"', b'"caf\xe9"')
    assert b'"caf\xe9"' in expected
    (tmp_path / "l.c").write_bytes(latin1)
    _, doc = scan_sarif(cli, tmp_path / "l.c")
    fixed = [r for r in doc["runs"][0]["results"] if "fixes" in r]
    assert len(fixed) == 1
    (change,) = fixed[0]["fixes"][0]["artifactChanges"]
    assert any("binary" in rep["insertedContent"] for rep in change["replacements"])
    assert _apply_replacements(latin1, change) == expected


def test_sarif_fingerprints_and_uris(cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.c").write_bytes(REVIEW)
    _, out, _ = cli("scan", "--format", "sarif", "a.c", str(tmp_path / "a.c"))
    run = json.loads(out)["runs"][0]
    assert run["originalUriBaseIds"]["SRCROOT"]["uri"] == (tmp_path.as_uri() + "/")
    (rel,) = run["results"]              # one file, named twice
    assert rel["locations"][0]["physicalLocation"]["artifactLocation"] == {"uri": "a.c", "uriBaseId": "SRCROOT"}
    first = rel["partialFingerprints"]["vforkSite/v1"]
    (tmp_path / "a.c").write_bytes(b"\n\n" + REVIEW)
    _, out, _ = cli("scan", "--format", "sarif", "a.c")
    (moved,) = json.loads(out)["runs"][0]["results"]
    assert moved["partialFingerprints"]["vforkSite/v1"] == first
    _, out, _ = cli("scan", "--format", "sarif", str(tmp_path / "a.c"))
    (absolute,) = json.loads(out)["runs"][0]["results"]
    assert absolute["locations"][0]["physicalLocation"]["artifactLocation"] == {"uri": (tmp_path / "a.c").as_uri()}
