"""`scan --format sarif`: the structure SARIF 2.1.0 requires and GitHub
code scanning reads, and fixes that reproduce the rewrite."""
import json
import shutil

from golden import GOLDEN

MIXED = GOLDEN / "c" / "mixed_sites"


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
    assert [r["id"] for r in rules] == ["vfork-to-spawn", "vfork-to-fork", "vfork-review", "vfork-reference"]
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
