"""Benchmark: `python bench/run.py` (see README, "Speed").

Builds (once, deterministically) a wide and a dense tree under
$TMPDIR/vfork-codemod-bench (outside the repository, whose .gitignore the
tool would honour),
then measures in one run, alternating the commands and taking medians:

* `vfork-codemod scan` against `grep -rl vfork` on the wide tree;
* `vfork-codemod diff` against `ast-grep run -p 'vfork()'` on the dense tree
  (when ast-grep is installed: `pip install '.[bench]'`);
* peak memory of the tool: the largest process (rusage) and the sum over
  its processes (sampled).

For context, on the dense tree (not targets):

* `bench/parse_only.py` against ast-grep: Python starting, importing
  tree-sitter and parsing each file once, with nothing else, which is the
  floor under any run of the tool;
* `vfork-codemod diff` against Coccinelle applying a one-line
  `vfork()` -> `fork()` semantic patch (when `spatch` is installed).

The tool is measured as an installed copy runs: its modules compiled to
bytecode first (pip does that at install time; an editable install under
PYTHONDONTWRITEBYTECODE would otherwise recompile them on every run).
"""
from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import trees  # noqa: E402

TREES = Path(os.environ.get("TMPDIR", "/tmp")) / "vfork-codemod-bench"
WIDE = "wide: scan vs grep -rl vfork"
DENSE = "dense: diff vs ast-grep run -p 'vfork()'"


def timed(cmd: list) -> tuple:
    """(seconds, exit status, largest-process RSS MiB, summed RSS MiB)."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    peak_sum = [0]
    done = threading.Event()

    def sample():
        while not done.is_set():
            peak_sum[0] = max(peak_sum[0], _tree_rss(proc.pid))
            done.wait(0.02)
    t = threading.Thread(target=sample, daemon=True)
    t.start()
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    done.set()
    t.join()
    proc.returncode = os.waitstatus_to_exitcode(status)
    return elapsed, proc.returncode, usage.ru_maxrss / 1024, peak_sum[0] / 1024


def _tree_rss(pid: int) -> int:
    """KiB resident in ``pid`` and its descendants."""
    total = 0
    todo = [pid]
    while todo:
        p = todo.pop()
        try:
            with open(f"/proc/{p}/status") as fh:
                for line in fh:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
            with open(f"/proc/{p}/task/{p}/children") as fh:
                todo += [int(c) for c in fh.read().split()]
        except (OSError, ValueError):
            pass
    return total


def _compile_package() -> None:
    """Byte-compile the installed package, as `pip install` does."""
    import compileall
    import codemod
    compileall.compile_dir(os.path.dirname(codemod.__file__), quiet=1)


def compare(label: str, ours: list, theirs: list, reps: int) -> dict:
    mine, other, rss_max, rss_sum = [], [], [], []
    for i in range(reps):
        for which in ((0, 1) if i % 2 == 0 else (1, 0)):
            cmd = ours if which == 0 else theirs
            secs, code, rss, total = timed(cmd)
            if code not in (0, 1):
                raise SystemExit(f"{' '.join(cmd)} failed with exit status {code}")
            (mine if which == 0 else other).append(secs)
            if which == 0:
                rss_max.append(rss)
                rss_sum.append(total)
    row = {"label": label, "ours": statistics.median(mine), "theirs": statistics.median(other),
           "rss_max": max(rss_max), "rss_sum": max(rss_sum),
           "pairs": sorted(a / b for a, b in zip(mine, other))}
    row["ratio"] = row["ours"] / row["theirs"]
    return row


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--files", type=int, default=30000, help="files in the wide tree (default 30000)")
    ap.add_argument("--dense-files", type=int, default=300, help="files in the dense tree (default 300)")
    ap.add_argument("--reps", type=int, default=5, help="repetitions of each command (default 5)")
    ap.add_argument("--jobs", default=None, help="passed to vfork-codemod --jobs")
    args = ap.parse_args()

    t0 = time.perf_counter()
    wide = trees.build_wide(TREES / "wide", args.files)
    dense = trees.build_dense(TREES / "dense", args.dense_files)
    print(f"trees ready in {time.perf_counter() - t0:.1f} s: {wide} ({args.files} files), "
          f"{dense} ({args.dense_files} files)")
    script = shutil.which("vfork-codemod", path=os.path.dirname(sys.executable)) or shutil.which("vfork-codemod")
    tool = [script] if script else [sys.executable, "-m", "codemod"]
    jobs = ["--jobs", args.jobs] if args.jobs else []
    workers = str(args.jobs or os.cpu_count() or 1)    # the same parallelism for the other tools
    _compile_package()
    subprocess.run(["grep", "-rlq", "vfork", str(wide)])          # warm the page cache
    rows = [compare(WIDE, tool + ["scan", *jobs, str(wide)],
                    ["grep", "-rl", "vfork", str(wide)], args.reps)]
    dense_diff = tool + ["diff", *jobs, str(dense)]
    sg = shutil.which("ast-grep") or shutil.which("ast-grep", path=os.path.dirname(sys.executable))
    if sg:
        search = [sg, "run", "-p", "vfork()", "--lang", "c", str(dense)]
        rows.append(compare(DENSE, dense_diff, search, args.reps))
        floor = [sys.executable, str(Path(__file__).resolve().parent / "parse_only.py"),
                 "--jobs", workers, str(dense)]
        rows.append(compare("dense: parse only (floor) vs ast-grep", floor, search, args.reps))
    else:
        print("ast-grep not installed (pip install '.[bench]'): dense comparison skipped")
        secs = statistics.median(timed(dense_diff)[0] for _ in range(args.reps))
        print(f"dense: diff alone {secs:.3f} s")
    spatch = shutil.which("spatch")
    if spatch:
        patch = TREES / "vfork-to-fork.cocci"
        patch.write_text("@@\n@@\n- vfork()\n+ fork()\n")
        rows.append(compare("dense: diff vs Coccinelle vfork()->fork()", dense_diff,
                            [spatch, "--very-quiet", "-j", workers,
                             "--sp-file", str(patch), "--dir", str(dense)], args.reps))

    print(f"\nmachine: {platform.machine()}, {os.cpu_count()} cores, {platform.platform()}, "
          f"Python {platform.python_version()}")
    print(f"{'comparison':44} {'ours':>8} {'theirs':>8} {'ratio':>6} {'pairs':>11} {'RSS max':>8} {'RSS sum':>8}")
    for r in rows:
        spread = f"{r['pairs'][0]:.2f}-{r['pairs'][-1]:.2f}"
        print(f"{r['label']:44} {r['ours']:8.3f} {r['theirs']:8.3f} {r['ratio']:6.2f} {spread:>11} "
              f"{r['rss_max']:7.1f}M {r['rss_sum']:7.1f}M")
    print("(ours and theirs are medians; ratio is their quotient; pairs is the range of the "
          "ratios of the runs made back to back)")
    targets = [("wide scan <= 1.5x grep", rows[0]["ratio"] <= 1.5)]
    targets += [("dense diff <= 2x ast-grep", r["ratio"] <= 2.0) for r in rows if r["label"] == DENSE]
    targets.append(("peak RSS < 150 MB", all(r["rss_max"] < 150 for r in rows if r["label"] in (WIDE, DENSE))))
    for name, ok in targets:
        print(f"{'met ' if ok else 'MISSED'} {name}")
    return 0 if all(ok for _, ok in targets) else 1


if __name__ == "__main__":
    sys.exit(main())
