"""Run a generated program and its rewrite the same way and compare what the
started program saw.

Each run gets a fresh folder named ``run`` (holding ``data.txt`` and
``sub/``), standard input from /dev/null and pipes for the other two, a
fixed environment, and the same absolute path for the probe's report.  A run
whose child never reaches exec leaves no report; the rewrite must then not
start the program either.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

HERE = Path(__file__).resolve().parent
WARNING = re.compile(r"warning: .*\[(-W[^\]]+)\]")
ENV = {"PATH": "/usr/bin:/bin", "LC_ALL": "C", "FZ_MARK": "inherited"}


def build_probe(folder: Path) -> str:
    exe = folder / "probe"
    if not exe.exists():
        subprocess.run(["gcc", "-O0", "-o", str(exe), str(HERE / "probe.c")], check=True, capture_output=True)
    return str(exe)


@dataclass
class Outcome:
    verdicts: list
    original: Optional[str]      # the probe's report, or None when nothing was started
    rewritten: Optional[str]
    source: bytes
    new: Optional[bytes]
    reasons: list

    @property
    def same(self) -> bool:
        return self.original == self.rewritten

    def describe(self) -> str:
        return (f"verdicts {self.verdicts}\nreasons {self.reasons}\n--- program\n{self.source.decode()}\n"
                f"--- rewrite\n{(self.new or b'').decode()}\n--- original saw\n{self.original}\n"
                f"--- rewrite saw\n{self.rewritten}")


def compile_c(src: Path, exe: Path) -> Counter:
    proc = subprocess.run(["gcc", "-Wall", "-Wextra", "-o", str(exe), str(src)], capture_output=True, text=True)
    if proc.returncode != 0:
        raise AssertionError(f"{src} does not compile:\n{proc.stderr}")
    return Counter(WARNING.findall(proc.stderr))


def run_once(command: list, base: Path, view: Path) -> Optional[str]:
    run = base / "run"
    if run.exists():
        shutil.rmtree(run)
    (run / "sub").mkdir(parents=True)
    (run / "data.txt").write_text("data\n")
    if view.exists():
        view.unlink()
    with open(os.devnull, "rb") as null:
        subprocess.run(command, cwd=run, stdin=null, capture_output=True, env=ENV, timeout=30)
    return view.read_text() if view.exists() else None


def check_c(seed: int, work: Path) -> Outcome:
    from codemod.core.model import Status
    from codemod.core.options import RunOptions
    from codemod.pipeline import process_source
    from spawnfuzz import cprog
    probe = build_probe(work)
    view = work / "view.txt"
    source, spawnp = cprog.program(seed, probe, str(view))
    result = process_source(source, "fz.c", "c", RunOptions(spawnp=spawnp))
    assert result.status is not Status.FAILED, result.error
    verdicts = [f.verdict.value for f in result.findings]
    reasons = [str(r) for f in result.findings for r in f.reasons]
    new = result.new if result.status is Status.CHANGED else None
    (work / "a.c").write_bytes(source)
    before = compile_c(work / "a.c", work / "a")
    original = run_once([str(work / "a")], work, view)
    if new is None:
        return Outcome(verdicts, original, original, source, new, reasons)
    (work / "b.c").write_bytes(new)
    after = compile_c(work / "b.c", work / "b")
    assert not (after - before), f"the rewrite adds warnings {dict(after - before)}\n{new.decode()}"
    rewritten = run_once([str(work / "b")], work, view)
    return Outcome(verdicts, original, rewritten, source, new, reasons)


def check_py(seed: int, work: Path) -> Outcome:
    """The original calls vfork through ctypes, which crashes the
    interpreter; its reference behaviour is the same program with os.fork()
    (the child's code run as written, in its own memory)."""
    from codemod.core.model import Status
    from codemod.core.options import RunOptions
    from codemod.pipeline import process_source
    from spawnfuzz import pyprog
    probe = build_probe(work)
    view = work / "view.txt"
    source = pyprog.program(seed, probe, str(view))
    result = process_source(source, "fz.py", "python", RunOptions())
    assert result.status is not Status.FAILED, result.error
    verdicts = [f.verdict.value for f in result.findings]
    reasons = [str(r) for f in result.findings for r in f.reasons]
    new = result.new if result.status is Status.CHANGED else None
    reference = source.replace(b"libc.vfork()", b"os.fork()")
    (work / "ref.py").write_bytes(reference)
    original = run_once([sys.executable, str(work / "ref.py")], work, view)
    if new is None:
        return Outcome(verdicts, original, original, source, new, reasons)
    (work / "new.py").write_bytes(new)
    rewritten = run_once([sys.executable, str(work / "new.py")], work, view)
    return Outcome(verdicts, original, rewritten, source, new, reasons)
