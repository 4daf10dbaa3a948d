"""Golden cases with several files: the tool runs on the whole folder, as on
a project, and learns its helpers, wrappers and redirects.

A case folder under tests/golden/c/ holding an ``input/`` folder:
  input/      the project's .c and .h files before the tool runs
  expected/   the files the tool changes, as it must change them (absent: none change)
  verdicts    one `FILE:LINE:COL VERDICT` per finding, in walk order
  args        optional: extra command-line flags, one per line
The behaviour test compiles every .c file of the input together (and of the
rewritten project), runs both and compares output and exit status.
"""
import json
import shutil
import subprocess
from collections import Counter

import pytest

from conftest import GOLDEN, need_gcc
from test_behaviour_c import WARNING

CASES = sorted(d for d in (GOLDEN / "c").iterdir() if (d / "input").is_dir())


def _args(case):
    p = case / "args"
    return p.read_text().split() if p.exists() else []


def _copy(case, tmp_path):
    work = tmp_path / "project"
    shutil.copytree(case / "input", work)
    return work


def _files(folder):
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _expected(case):
    files = _files(case / "input")
    if (case / "expected").is_dir():
        files.update(_files(case / "expected"))
    return files


def test_there_are_project_cases():
    assert len(CASES) >= 7


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_verdicts(case, tmp_path, cli, monkeypatch):
    monkeypatch.chdir(_copy(case, tmp_path))
    code, out, err = cli("scan", "--format", "json", *_args(case), ".")
    assert code in (0, 1), err
    got = [f"{f['path']}:{f['line']}:{f['column']} {f['verdict']}" for f in json.loads(out)["findings"]]
    want = [ln.strip() for ln in (case / "verdicts").read_text().splitlines() if ln.strip()]
    assert got == want


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_apply_then_second_run_changes_nothing(case, tmp_path, cli, monkeypatch):
    work = _copy(case, tmp_path)
    monkeypatch.chdir(work)
    code, _, err = cli("apply", *_args(case), ".")
    assert code in (0, 1), err
    assert _files(work) == _expected(case)
    code, out, err = cli("diff", *_args(case), ".")
    assert (code, out) == (0, b""), err


@pytest.mark.parametrize("case", [c for c in CASES if (c / "expected").is_dir()], ids=lambda c: c.name)
def test_diff_applies_with_git(case, tmp_path, cli, monkeypatch):
    if shutil.which("git") is None:
        pytest.skip("git not installed")
    work = _copy(case, tmp_path)
    monkeypatch.chdir(work)
    code, patch, err = cli("diff", *_args(case), ".")
    assert code == 1, err
    (tmp_path / "p.diff").write_bytes(patch)
    subprocess.run(["git", "apply", "--unsafe-paths", str(tmp_path / "p.diff")], cwd=work, check=True)
    assert _files(work) == _expected(case)


def _build(folder, exe):
    sources = sorted(str(p) for p in folder.glob("*.c"))
    proc = subprocess.run(["gcc", "-Wall", "-Wextra", "-I", str(folder), "-o", str(exe), *sources],
                          capture_output=True, text=True)
    assert proc.returncode == 0, f"{folder} does not build:\n{proc.stderr}"
    return Counter(WARNING.findall(proc.stderr))


def _run(exe, cwd):
    proc = subprocess.run([str(exe)], capture_output=True, timeout=30, cwd=cwd)
    return proc.stdout, proc.returncode


@pytest.mark.gcc
@pytest.mark.parametrize("case", [c for c in CASES if (c / "expected").is_dir()], ids=lambda c: c.name)
def test_same_output_and_status(case, tmp_path):
    need_gcc()
    before = tmp_path / "before"
    shutil.copytree(case / "input", before)
    after = tmp_path / "after"
    shutil.copytree(case / "input", after)
    shutil.copytree(case / "expected", after, dirs_exist_ok=True)
    warned_before = _build(before, tmp_path / "before.out")
    warned_after = _build(after, tmp_path / "after.out")
    assert not (warned_after - warned_before), f"the rewrite adds warnings: {dict(warned_after - warned_before)}"
    out_before = _run(tmp_path / "before.out", tmp_path)
    out_after = _run(tmp_path / "after.out", tmp_path)
    assert out_after == out_before
    assert out_before[0], "a behaviour case must print something to compare"
