"""The adversarial cost suite: generated inputs that push one stage each
(tests/costinputs.py) must finish within a fixed time and a peak RSS of
300 MB, and where a stage reaches its budget the site says so.

Each case runs the command line in a child process (--jobs 1: one process
holds everything) and reads that child's own peak RSS from wait4."""
import json
import os
import subprocess
import sys
import time

import pytest

import costinputs

PEAK_MB = 300
SECONDS = 60            # each case takes 0.2 to 4 s here; this bounds a blow-up, it times nothing


def scan(path) -> tuple:
    """(JSON report, seconds, peak RSS in MB) of `scan --format json -j 1 path`."""
    started = time.monotonic()
    child = subprocess.Popen([sys.executable, "-m", "codemod", "scan", "--format", "json", "-j", "1", str(path)],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        out, err = child.communicate(timeout=SECONDS)
    except subprocess.TimeoutExpired:
        child.kill()
        child.communicate()
        pytest.fail(f"scan of {path} ran over {SECONDS} s")
    assert child.peak_mb > 10, "the child's peak RSS was not read"
    return json.loads(out), time.monotonic() - started, child.peak_mb


class _Popen(subprocess.Popen):
    """A Popen that reaps with wait4, keeping the child's own peak RSS."""

    peak_mb = 0.0

    def _try_wait(self, wait_flags):
        pid, status, usage = os.wait4(self.pid, wait_flags)
        if pid:
            self.peak_mb = usage.ru_maxrss / 1024
        return pid, status


subprocess_Popen = subprocess.Popen


@pytest.fixture(autouse=True)
def own_rss(monkeypatch):
    monkeypatch.setattr(subprocess, "Popen", _Popen)


def reasons(report) -> list:
    return [r for f in report["findings"] for r in f["reasons"]]


def within_budget(report, seconds, peak):
    assert seconds < SECONDS and peak < PEAK_MB, (seconds, peak)
    assert not report["errors"], report["errors"]


def test_hundreds_of_ifs_in_one_function(tmp_path):
    report, seconds, peak = scan(costinputs.many_ifs(tmp_path, 300))
    within_budget(report, seconds, peak)
    (finding,) = report["findings"]
    (cap,) = [r for r in finding["reasons"] if r["kind"] == "configurations-too-many"]
    assert finding["verdict"] == "review" and finding["reasons"][-1]["kind"] == "more-reasons"
    assert "more than the 16 the tool analyses" in cap["message"] and len(finding["reasons"]) == 100


def test_ten_thousand_wrapper_shaped_names(tmp_path):
    report, seconds, peak = scan(costinputs.many_wrappers(tmp_path, 10_000))
    within_budget(report, seconds, peak)
    main = [f for f in report["findings"] if f["path"].endswith("main.c")]
    assert main and all(f["verdict"] == "review" for f in main)
    capped = [f for f in main if any(r["kind"] == "more-reasons" for r in f["reasons"])]
    assert capped and all(len(f["reasons"]) == 100 for f in capped)


def test_a_helper_chain_a_thousand_deep(tmp_path):
    report, seconds, peak = scan(costinputs.helper_chain(tmp_path, 1_000))
    within_budget(report, seconds, peak)
    (finding,) = report["findings"]
    assert finding["verdict"] == "review"
    assert finding["reasons"][0]["message"].endswith(
        "`h6()` was not looked up: it is called through 6 levels of project helpers; the project index follows "
        "at most 6 (its depth budget)")


def test_a_five_megabyte_header_of_macros(tmp_path):
    report, seconds, peak = scan(costinputs.macro_header(tmp_path, 5))
    within_budget(report, seconds, peak)
    (finding,) = report["findings"]
    first = finding["reasons"][0]
    assert first["kind"] == "index-budget"
    assert "`M0()` was not looked up: it may be defined in" in first["message"]
    assert "macros.h, which the project index did not read: too large to analyse" in first["message"]


def test_a_module_of_five_thousand_bindings(tmp_path):
    report, seconds, peak = scan(costinputs.bindings_module(tmp_path, 5_000))
    within_budget(report, seconds, peak)
    (finding,) = report["findings"]
    assert finding["verdict"] == "note" and finding["line"] == 2 * 2_500 + 3


def test_the_budget_of_names_is_a_reason(tmp_path, monkeypatch):
    # In-process, with the budget lowered: a child calling more names than
    # the index may look up says which ones it did not.
    from codemod.cli import main
    from codemod.engines.c.project import index
    monkeypatch.setattr(subprocess, "Popen", subprocess_Popen)
    monkeypatch.setattr(index, "MAX_NAMES", 3)
    root = tmp_path
    calls = "".join(f"\t\thelper{i}(fd);\n" for i in range(6))
    (root / "main.c").write_text("#include <unistd.h>\nvoid helper0(int);\nint run(int fd, char **argv)\n{\n"
                                 "\tpid_t pid = vfork();\n\tif (pid == 0) {\n" + calls +
                                 "\t\texecv(argv[0], argv);\n\t\t_exit(127);\n\t}\n\treturn pid;\n}\n")
    (root / "lib.c").write_text("".join(f"void helper{i}(int fd)\n{{\n\tclose(fd);\n}}\n" for i in range(6)))
    import io
    import contextlib
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        main(["scan", "--format", "json", "-j", "1", str(root)])
    kinds = [(r["kind"], r["message"]) for r in reasons(json.loads(out.getvalue()))]
    budget = [m for k, m in kinds if k == "index-budget"]
    assert len(budget) == 3 and all("looks up at most 3 names in a run (its budget of names)" in m for m in budget)
