"""Every C golden case: the rewrite, the verdicts, stability, and that
`git apply` accepts the diff the CLI prints."""
import shutil
import subprocess

import pytest

from golden import cases, options_from
from codemod.pipeline import process_source
from codemod.core.model import Status

CASES = cases("c", "c")


def run_tool(case, source: bytes):
    return process_source(source, "input.c", "c", options_from(case.args))


def test_there_are_enough_cases():
    assert len(CASES) >= 30


@pytest.mark.parametrize("case", CASES, ids=str)
def test_rewrite(case):
    result = run_tool(case, case.input.read_bytes())
    assert result.status is not Status.FAILED, result.error
    if case.expected is None:
        assert result.status is Status.UNCHANGED
    else:
        assert result.status is Status.CHANGED
        assert result.new == case.expected.read_bytes()


@pytest.mark.parametrize("case", CASES, ids=str)
def test_verdicts(case):
    result = run_tool(case, case.input.read_bytes())
    got = [f"{f.line}:{f.column} {f.verdict.value}" for f in result.findings]
    assert got == case.verdicts


@pytest.mark.parametrize("case", [c for c in CASES if c.expected], ids=str)
def test_second_run_changes_nothing(case):
    once = run_tool(case, case.input.read_bytes())
    twice = run_tool(case, once.new)
    assert twice.status is Status.UNCHANGED


@pytest.mark.parametrize("case", [c for c in CASES if c.expected], ids=str)
def test_cli_diff_applies_with_git(case, tmp_path, cli, monkeypatch):
    if shutil.which("git") is None:
        pytest.skip("git not installed")
    work = tmp_path / "repo"
    work.mkdir()
    shutil.copy(case.input, work / "input.c")
    monkeypatch.chdir(work)
    code, patch, _ = cli("diff", *case.args, "input.c")
    assert code == 1
    (tmp_path / "p.diff").write_bytes(patch)
    subprocess.run(["git", "apply", "--unsafe-paths", str(tmp_path / "p.diff")], cwd=work, check=True)
    assert (work / "input.c").read_bytes() == case.expected.read_bytes()
