"""A worker process that dies (killed by the kernel, past its memory cap,
a native crash) costs the file it was analysing, never the run: that file
is an error naming it, every other file keeps its result, and the JSON
report is still written."""
import json
import os
import shutil
import signal
import subprocess
import sys

import pytest

from golden import GOLDEN
from codemod.files import grepfilter, parallel, ripgrep

SITES = sorted(p for p in (GOLDEN / "c").iterdir() if (p / "input.c").exists())[:12]


def tree(root):
    for i, case in enumerate(SITES):
        shutil.copy(case / "input.c", root / f"site{i:02d}_{case.name}.c")
    return root


def findings_by_path(out: bytes) -> dict:
    report = json.loads(out)
    return {f["path"]: f for f in report["findings"]}, {e["path"]: e for e in report["errors"]}


def killing_victim(monkeypatch, victim: str) -> None:
    """Analysing ``victim`` in a worker kills it, as the kernel's OOM killer
    does; never this (the test's) process."""
    import codemod.pipeline as pipeline
    analyse, main = pipeline.process_source, os.getpid()

    def killing(source, path, language, options):
        if path.endswith(victim) and os.getpid() != main:
            os.kill(os.getpid(), signal.SIGKILL)
        return analyse(source, path, language, options)
    monkeypatch.setattr(pipeline, "process_source", killing)


def test_a_worker_killed_loses_that_file_alone(tmp_path, cli, monkeypatch):
    root = tree(tmp_path)
    victim = sorted(p.name for p in root.iterdir())[5]
    monkeypatch.chdir(root)
    code, out, _ = cli("scan", "--format", "json", "-j", "1", ".")
    want, _ = findings_by_path(out)
    # No grep: the prefilter and the analyses both run in workers.
    monkeypatch.setattr(ripgrep, "rg_command", lambda: None)
    monkeypatch.setattr(grepfilter, "grep_command", lambda: None)
    killing_victim(monkeypatch, victim)
    code, out, err = cli("scan", "--format", "json", "-j", "2", ".")
    got, errors = findings_by_path(out)
    assert code == 2
    assert list(errors) == [victim] and "SIGKILL" in errors[victim]["message"]
    assert "the other files are not affected" in errors[victim]["message"]
    assert got == {p: f for p, f in want.items() if p != victim}
    assert victim in err


def test_a_chunk_whose_worker_died_is_analysed_file_by_file(tmp_path, monkeypatch):
    from codemod.core.model import Status
    from codemod.core.options import RunOptions
    root = tree(tmp_path)
    names = sorted(p.name for p in root.iterdir())
    monkeypatch.setattr(parallel, "IN_PROCESS", 0)
    monkeypatch.setattr(parallel, "IN_PROCESS_BYTES", 0)
    killing_victim(monkeypatch, names[3])
    files = [(str(root / n), n) for n in names]
    results = parallel.analyse_files(files, RunOptions(), 2, "c")
    assert [r.path for r in results] == names
    assert [r.path for r in results if r.status is Status.FAILED] == [names[3]]
    assert all(r.findings for r in results if r.path != names[3])


def scan_in_a_fresh_process(root, *args) -> bytes:
    """``scan --format json`` run by a new interpreter.  The cap is on the
    address space a worker adds to what it inherits, and a worker forked
    from this (the test's) process inherits whatever heap earlier tests
    freed but glibc kept mapped: enough, late in a full run, to parse the
    big file inside 16 MB.  A fresh process holds little."""
    env = dict(os.environ, VFORK_CODEMOD_NO_CACHE="1")
    done = subprocess.run([sys.executable, "-m", "codemod", "scan", "--format", "json", *args, "."],
                          cwd=root, env=env, capture_output=True, timeout=600)
    assert done.returncode in (1, 2), done.stderr.decode()
    return done.stdout


def test_a_worker_past_its_memory_cap_fails_that_file_alone(tmp_path):
    root = tree(tmp_path)
    # About 200 MB of trees to parse (allowed by --max-parse-memory): far more
    # than a worker allowed 16 MB may add.  2.3 MB of source over 13 files is
    # past what is analysed in-process, so workers do it.
    big = (GOLDEN / "c" / SITES[0].name / "input.c").read_bytes() + b"int table[] = {" + b"1, " * 750_000 + b"};\n"
    (root / "zz_big.c").write_bytes(big)
    assert len(big) > parallel.IN_PROCESS_BYTES and len(SITES) + 1 > parallel.IN_PROCESS
    out = scan_in_a_fresh_process(root, "-j", "2", "--max-worker-memory", "16", "--max-parse-memory", "2000")
    got, errors = findings_by_path(out)
    assert list(errors) == ["zz_big.c"], errors
    assert "16 MB" in errors["zz_big.c"]["message"] and "--max-worker-memory" in errors["zz_big.c"]["message"]
    assert len(got) == len(SITES)
    out = scan_in_a_fresh_process(root, "-j", "2", "--max-parse-memory", "2000")
    got, errors = findings_by_path(out)
    assert not errors and "zz_big.c" in got


def test_a_worker_memory_cap_below_the_minimum_is_a_usage_error(cli, capsysbinary):
    with pytest.raises(SystemExit) as stop:
        cli("scan", "--max-worker-memory", "0", ".")
    assert stop.value.code == 2
    assert "--max-worker-memory: must be a whole number of megabytes, at least 16, not '0'" in capsysbinary.readouterr().err.decode()
