"""Behaviour is the test: the input (with vfork) and the expected rewrite are
compiled with gcc -Wall -Wextra, run, and must print the same and exit the
same.  The rewrite may not add warnings, in C99 or in C89 mode."""
import re
import subprocess
from collections import Counter

import pytest

from conftest import need_gcc
from golden import cases

CASES = [c for c in cases("c", "c") if c.expected and c.runnable]
WARNING = re.compile(r"warning: .*\[(-W[^\]]+)\]")


def compile_c(src, exe, flags):
    proc = subprocess.run(["gcc", "-Wall", "-Wextra", *flags, "-o", str(exe), str(src)],
                          capture_output=True, text=True)
    assert proc.returncode == 0, f"{src} does not compile with {flags}:\n{proc.stderr}"
    return Counter(WARNING.findall(proc.stderr))


def run(exe, cwd):
    proc = subprocess.run([str(exe)], capture_output=True, timeout=30, cwd=cwd)
    return proc.stdout, proc.returncode


def test_every_rewrite_kind_is_run():
    kinds = set()
    for case in CASES:
        kinds |= {line.split()[1] for line in case.verdicts}
    assert {"spawn", "fork"} <= kinds


@pytest.mark.gcc
@pytest.mark.parametrize("case", CASES, ids=str)
def test_same_output_and_status(case, tmp_path):
    need_gcc()
    for i, flags in enumerate(case.configs):
        before = compile_c(case.input, tmp_path / f"before{i}", flags)
        after = compile_c(case.expected, tmp_path / f"after{i}", flags)
        new = after - before
        assert not new, f"rewrite adds warnings under {flags}: {dict(new)}"
        out_before = run(tmp_path / f"before{i}", tmp_path)
        out_after = run(tmp_path / f"after{i}", tmp_path)
        assert out_after == out_before
        assert out_before[0], "a behaviour case must print something to compare"


@pytest.mark.gcc
@pytest.mark.parametrize("case", CASES, ids=str)
def test_no_new_warnings_in_c89(case, tmp_path):
    need_gcc()
    flags = ["-std=gnu89", "-Wdeclaration-after-statement", "-fsyntax-only"]
    for i, config in enumerate(case.configs):
        before = _warnings(case.input, flags + config)
        after = _warnings(case.expected, flags + config)
        assert not (after - before), f"{dict(after - before)}"


def _warnings(src, flags):
    proc = subprocess.run(["gcc", "-Wall", "-Wextra", *flags, str(src)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    return Counter(WARNING.findall(proc.stderr))
