"""The parallel paths give the same output, byte for byte, as --jobs 1
(which runs in-process): the grep prefilter, and worker-process batches."""
import shutil

import pytest

from golden import GOLDEN
from codemod import grepfilter, parallel

KINDS = sorted(p for p in (GOLDEN / "c").iterdir() if (p / "input.c").exists())


@pytest.fixture
def tree(tmp_path):
    """A tree wider than one batch, with vfork files of every golden kind,
    Python files, a file with an alias call, and one that cannot be parsed."""
    root = tmp_path / "tree"
    filler = b"int helper(int x)\n{\n\treturn x + 1;\n}\n" * 20
    for i in range(1300):
        d = root / f"d{i % 13:02d}" / f"e{i % 7}"
        d.mkdir(parents=True, exist_ok=True)
        (d / f"f{i:04d}.c").write_bytes(filler)
    for i, kind in enumerate(KINDS):
        shutil.copy(kind / "input.c", root / f"d{i % 13:02d}" / f"site_{kind.name}.c")
    for case in (GOLDEN / "py").iterdir():
        if (case / "input.py").exists():
            shutil.copy(case / "input.py", root / "d03" / f"{case.name}.py")
    return root


@pytest.mark.parametrize("args", [["scan"], ["scan", "--format", "json"], ["diff"], ["diff", "--include-review"]])
def test_jobs_2_matches_jobs_1(tree, cli, args, monkeypatch):
    monkeypatch.chdir(tree)
    one = cli(*args, "-j", "1", ".")
    two = cli(*args, "-j", "2", ".")
    assert one[0] == two[0] and one[1] == two[1]
    assert one[1]                                  # something was found
    monkeypatch.setattr(grepfilter, "grep_command", lambda: None)   # worker batches instead of grep
    three = cli(*args, "-j", "2", ".")
    assert three[:2] == one[:2]


def test_small_batches_and_many_workers(tree, cli, monkeypatch):
    monkeypatch.chdir(tree)
    baseline = cli("scan", "--format", "json", "-j", "1", ".")
    monkeypatch.setattr(parallel, "BATCH", 7)
    monkeypatch.setattr(parallel, "GREP_BATCH", 11)
    monkeypatch.setattr(parallel, "IN_PROCESS", 0)
    assert cli("scan", "--format", "json", "-j", "3", ".")[:2] == baseline[:2]
    monkeypatch.setattr(grepfilter, "grep_command", lambda: None)
    assert cli("scan", "--format", "json", "-j", "3", ".")[:2] == baseline[:2]


def test_files_are_counted_and_sorted(tree, cli, monkeypatch):
    import json
    monkeypatch.chdir(tree)
    doc = json.loads(cli("scan", "--format", "json", "-j", "2", ".")[1])
    assert doc["summary"]["files"] == 1300 + len(KINDS) + len(list(tree.glob("d03/*.py")))
    keys = [(f["path"], f["line"], f["column"]) for f in doc["findings"]]
    paths = [k[0] for k in keys]
    assert paths == sorted(paths, key=lambda p: (p.split("/")[:-1], p))  # walk order: folders, then names


def test_jobs_must_be_positive(cli):
    with pytest.raises(SystemExit):
        cli("scan", "-j", "0", ".")
