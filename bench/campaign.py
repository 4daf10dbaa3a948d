"""Time a local campaign: `python bench/campaign.py [--repos 50]`.

Generates N small git repositories under $TMPDIR/vfork-codemod-campaign
(each a few golden inputs: spawn, fork, review, Python, or nothing to do),
then times `vfork-codemod campaign all` with --jobs 1 and --jobs 2, each on
a fresh campaign folder, and a re-run in which every result is current.
"""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "golden"
BASE = Path(os.environ.get("TMPDIR", "/tmp")) / "vfork-codemod-campaign"


def git(cwd, *args):
    subprocess.run(["git", "-c", "user.name=Bench", "-c", "user.email=bench@example.com", *args], cwd=cwd,
                   check=True, capture_output=True)


def make(n: int) -> Path:
    cases = sorted(p for p in (GOLDEN / "c").iterdir() if (p / "input.c").exists())
    py = sorted(p for p in (GOLDEN / "py").iterdir() if (p / "input.py").exists() and not (p / "error").exists())
    shutil.rmtree(BASE, ignore_errors=True)
    listing = []
    for i in range(n):
        repo = BASE / "repos" / f"r{i:03d}"
        repo.mkdir(parents=True)
        git(repo, "init", "-q", "-b", "main")
        for j in range(3):
            case = cases[(3 * i + j) % len(cases)]
            shutil.copy(case / "input.c", repo / f"{case.name}.c")
        if i % 5 == 0:
            shutil.copy(py[i % len(py)] / "input.py", repo / "tool.py")
        (repo / "README").write_text("generated\n")
        git(repo, "add", ".")
        git(repo, "commit", "-q", "-m", "initial")
        listing.append(str(repo))
    (BASE / "repos.txt").write_text("\n".join(listing) + "\n")
    return BASE / "repos.txt"


def timed(args: list) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "codemod", *args], check=True, capture_output=True)
    return time.perf_counter() - start


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repos", type=int, default=50)
    n = ap.parse_args().repos
    listing = make(n)
    for jobs in (1, 2):
        out = BASE / f"out-j{jobs}"
        seconds = timed(["campaign", "all", str(listing), "--out", str(out), "--jobs", str(jobs)])
        again = timed(["campaign", "all", str(listing), "--out", str(out), "--jobs", str(jobs)])
        print(f"{n} repositories, --jobs {jobs}: {seconds:.1f} s; re-run (all current): {again:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
