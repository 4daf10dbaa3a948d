"""Every Python golden case: the rewrite, the verdicts, stability, errors,
and behaviour (the rewritten program prints what the case says; where
marked, the original crashes, which is why the tool exists)."""
import subprocess
import sys

import pytest

from codemod.core.model import Status
from codemod.pipeline import process_source
from golden import cases, options_from

CASES = cases("py", "py")


def run_tool(case, source: bytes):
    return process_source(source, "input.py", "python", options_from(case.args))


def test_there_are_enough_cases():
    assert len(CASES) >= 12


@pytest.mark.parametrize("case", CASES, ids=str)
def test_rewrite(case):
    result = run_tool(case, case.input.read_bytes())
    if case.error:
        assert result.status is Status.FAILED
        assert case.error in result.error
        return
    assert result.status is not Status.FAILED, result.error
    if case.expected is None:
        assert result.status is Status.UNCHANGED
    else:
        assert result.status is Status.CHANGED
        assert result.new == case.expected.read_bytes()


@pytest.mark.parametrize("case", [c for c in CASES if not c.error], ids=str)
def test_verdicts(case):
    result = run_tool(case, case.input.read_bytes())
    assert [f"{f.line}:{f.column} {f.verdict.value}" for f in result.findings] == case.verdicts


@pytest.mark.parametrize("case", [c for c in CASES if c.expected], ids=str)
def test_second_run_changes_nothing(case):
    once = run_tool(case, case.input.read_bytes())
    assert run_tool(case, once.new).status is Status.UNCHANGED


@pytest.mark.parametrize("case", [c for c in CASES if c.stdout is not None], ids=str)
def test_program_prints_what_the_case_says(case, tmp_path):
    program = case.expected or case.input
    proc = subprocess.run([sys.executable, str(program)], capture_output=True, timeout=60, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == case.stdout


@pytest.mark.parametrize("case", [c for c in CASES if c.crashes], ids=str)
def test_original_crashes(case, tmp_path):
    proc = subprocess.run([sys.executable, str(case.input)], capture_output=True, timeout=60, cwd=tmp_path)
    assert proc.returncode != 0, "vfork through ctypes was expected to crash the interpreter"


def test_every_rewrite_kind_is_run():
    kinds = set()
    for case in CASES:
        if case.stdout is not None and case.expected is not None:
            kinds |= {line.split()[1] for line in case.verdicts}
    assert {"spawn", "fork"} <= kinds
