"""The parallel paths give the same output, byte for byte, as --jobs 1
(which runs in-process): the grep prefilter, and worker-process batches."""
import os
import shutil

import pytest

from golden import GOLDEN
from codemod.files import grepfilter
from codemod.files import parallel

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
    monkeypatch.setattr(grepfilter, "MAX_ENTRIES", 5)      # greps walk whole folders themselves
    monkeypatch.setattr(parallel, "IN_PROCESS", 0)
    monkeypatch.setattr(parallel, "IN_PROCESS_BYTES", 0)
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


def _odd_tree(root):
    """Files the walk leaves out although they mention vfork, and files in odd places it keeps."""
    site = (GOLDEN / "c" / "spawn_decl_init" / "input.c").read_bytes()
    (root / "src" / "deep" / "er").mkdir(parents=True)
    (root / "build").mkdir()
    (root / "outside").mkdir()
    (root / ".gitignore").write_text("build/\n*.gen.c\n")
    (root / ".git").mkdir()
    for rel in ("src/a.c", "src/deep/er/b.h", "src/.hidden.c", "src/x.gen.c", "build/c.c", ".git/d.c",
                "outside/e.c", "src/notes.txt", "top.c"):
        (root / rel).write_bytes(site)
    for odd in (b"src/new\nline.c", b"src/caf\xe9.c", b"src/-dash.c"):     # names grep must hand back intact
        with open(os.path.join(os.fsencode(root), odd), "wb") as fh:
            fh.write(site)
    (root / "src" / "link.c").symlink_to(root / "outside" / "e.c")
    (root / "src" / "linkdir").symlink_to(root / "outside")
    return root


@pytest.mark.parametrize("paths", [["."], ["src", "top.c"], ["src", "src/deep", "./top.c"], ["src/a.c"],
                                   ["src//a.c", ".//top.c", "src/deep/"]])
def test_grep_prefilter_keeps_to_the_walk(tmp_path, cli, monkeypatch, paths):
    monkeypatch.chdir(_odd_tree(tmp_path))
    one = cli("scan", "--format", "json", "-j", "1", *paths)
    assert grepfilter.grep_command()
    two = cli("scan", "--format", "json", "-j", "2", *paths)
    assert two[:2] == one[:2]
    monkeypatch.setattr(grepfilter, "MAX_ENTRIES", 1)       # greps walk the named folders themselves
    assert cli("scan", "--format", "json", "-j", "3", *paths)[:2] == one[:2]
    if paths == ["."]:
        import json
        found = sorted({f["path"] for f in json.loads(one[1])["findings"]})
        assert found == ["outside/e.c", "src/-dash.c", "src/.hidden.c", "src/a.c", "src/caf\ufffd.c",
                         "src/deep/er/b.h", "src/new\nline.c", "top.c"]


def test_entries_are_spelled_as_the_walk_spells_paths(tmp_path):
    root = _odd_tree(tmp_path)
    listed = grepfilter.entries([str(root)], 100)
    assert str(root / "src" / "link.c") not in listed and str(root / "src" / "linkdir") not in listed
    assert str(root / ".git") not in listed and str(root / "top.c") in listed
    assert all(p.startswith(str(root) + "/") for p in listed)


@pytest.mark.parametrize("output", ["nothing", "some", "all"])
def test_a_failing_grep_part_is_read_by_python(tmp_path, cli, monkeypatch, output):
    """A grep that exits 2 (as when it cannot read a file), having printed
    none, some or all of its matches, has its part of the tree read by the
    Python prefilter: nothing is lost, nothing is reported twice."""
    real = grepfilter.grep_command()
    keep = {"nothing": "head -c 0", "some": "head -c 300", "all": "cat"}[output]
    fake = tmp_path / "bin" / "grep"
    fake.parent.mkdir()
    fake.write_text(f'#!/bin/sh\n"{real}" "$@" | {keep}\nexit 2\n')
    fake.chmod(0o755)
    tree = _odd_tree(tmp_path / "t")
    monkeypatch.chdir(tree)
    one = cli("scan", "--format", "json", "-j", "1", ".")
    monkeypatch.setattr(grepfilter, "grep_command", lambda: str(fake))
    assert cli("scan", "--format", "json", "-j", "2", ".")[:2] == one[:2]


def _sparse_tree(root, with_python: bool):
    site = (GOLDEN / "c" / "spawn_decl_init" / "input.c").read_bytes()
    for i in range(60):
        d = root / f"d{i % 4}"
        d.mkdir(parents=True, exist_ok=True)
        (d / f"f{i}.c").write_bytes(site if i in (7, 41) else b"int helper(void) { return 0; }\n")
    if with_python:
        shutil.copy(GOLDEN / "py" / "fork_if_call_eq_zero" / "input.py", root / "d1" / "p.py")
    return root


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_only_files_that_mention_vfork_are_parsed(tmp_path, cli, monkeypatch, jobs):
    from codemod.engines.c import engine
    parsed = []
    original = engine.CFile.__init__

    def counting(self, source, path, *args, **kwargs):
        parsed.append(path)
        original(self, source, path, *args, **kwargs)
    monkeypatch.setattr(engine.CFile, "__init__", counting)
    root = _sparse_tree(tmp_path, with_python=False)
    code, out, _ = cli("scan", "-j", jobs, str(root))
    assert code == 1 and b"60 files scanned" in out
    assert sorted(parsed) == sorted(str(root / d / f) for d, f in (("d3", "f7.c"), ("d1", "f41.c")))


def test_jobs_1_starts_no_grep_and_no_workers(tmp_path, cli, monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("--jobs 1 must run in this process")
    monkeypatch.setattr(grepfilter, "TreeGrep", refuse)
    monkeypatch.setattr(parallel._Pool, "submit", refuse)
    root = _sparse_tree(tmp_path, with_python=True)
    code, out, _ = cli("scan", "-j", "1", str(root))
    assert code == 1 and b"61 files scanned" in out


@pytest.mark.parametrize("with_python", [False, True])
def test_libcst_is_imported_only_for_python_files_that_mention_vfork(tmp_path, with_python):
    import subprocess
    import sys
    root = _sparse_tree(tmp_path, with_python)
    (root / "d0" / "plain.py").write_text("print('no fork here')\n")
    probe = ("import sys; from codemod.cli import main; main(['scan', sys.argv[1]]); "
             "print('libcst loaded' if 'libcst' in sys.modules else 'libcst not loaded', file=sys.stderr)")
    proc = subprocess.run([sys.executable, "-c", probe, str(root)], capture_output=True, text=True)
    assert proc.stderr.strip().endswith("libcst loaded" if with_python else "libcst not loaded")
