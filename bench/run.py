"""Benchmark: `python bench/run.py` (see README, "Speed").

Builds (once, deterministically) the trees of bench/trees.py under
$TMPDIR/vfork-codemod-bench (outside the repository, whose .gitignore the
tool would honour), then measures in one run, alternating the commands and
taking medians.  Targets:

* `vfork-codemod scan` against `grep -rl vfork` on the wide tree (shaped
  like binutils-gdb: files that mention vfork only in comments, strings and
  longer names, some of them large): at most 1.0x;
* `scan` of the generated ctypes bindings module against `ast.parse` of it
  with libcst imported: at most 3x;
* peak memory of `scan --jobs 1` over the tree of files that each have a
  site: under 100 MB (the largest process, rusage; the sum over processes
  is sampled);
* `vfork-codemod diff` against Coccinelle applying a one-line `vfork()` ->
  `fork()` semantic patch on the dense tree (when `spatch` is installed):
  at most 0.15x.

For context (not targets): ripgrep's own time on the wide tree and the
tool's with ripgrep turned off (when ripgrep is installed), `diff` against `ast-grep run -p 'vfork()'` on the dense tree
(which searches while the tool proves; `pip install '.[bench]'`), and
`bench/parse_only.py`, Python starting, importing tree-sitter and parsing
each dense file once, the floor under any run of the tool.

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
COCCINELLE = "dense: diff vs Coccinelle vfork()->fork()"
CTYPES = "ctypes module: scan vs ast.parse"
SITES = "sites: scan -j 1 vs grep -rl vfork"


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
    ap.add_argument("--site-files", type=int, default=5000,
                    help="files with a site in the memory tree (default 5000)")
    ap.add_argument("--ctypes-size", type=int, default=150_000,
                    help="bytes of the generated ctypes bindings module (default 150000)")
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
    from codemod.files.ripgrep import rg_command
    rg = rg_command()                 # the one the tool uses
    if rg:
        rows.append(compare("wide: rg -l vfork vs grep (context)", [rg, "-l", "-t", "c", "-t", "py", "vfork",
                                                                     str(wide)],
                            ["grep", "-rl", "vfork", str(wide)], args.reps))
        rows.append(compare("wide: scan without ripgrep vs grep (context)",
                            ["env", "VFORK_CODEMOD_RG=none", *tool, "scan", *jobs, str(wide)],
                            ["grep", "-rl", "vfork", str(wide)], args.reps))
    else:
        print("ripgrep not installed (pip install '.[fast]'): the tool used grep; rg's row is skipped")
    module = trees.build_ctypes(TREES / "ctypes" / "libc_bindings.py", args.ctypes_size)
    rows.append(compare(CTYPES, tool + ["scan", str(module)],
                        [sys.executable, "-c", f"import libcst, ast; ast.parse(open({str(module)!r}).read())"],
                        args.reps))
    sites = trees.build_sites(TREES / "sites", args.site_files)
    rows.append(compare(SITES, tool + ["scan", "--jobs", "1", str(sites)], ["grep", "-rl", "vfork", str(sites)],
                        max(1, min(args.reps, 2))))
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
        rows.append(compare(COCCINELLE, dense_diff,
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
    by = {r["label"]: r for r in rows}
    targets = [("wide scan <= 1.0x grep", by[WIDE]["ratio"] <= 1.0),
               ("ctypes module scan <= 3x ast.parse (with libcst imported)", by[CTYPES]["ratio"] <= 3.0),
               ("peak RSS < 100 MB for --jobs 1 over the files with a site", by[SITES]["rss_max"] < 100)]
    targets += [("dense diff <= 0.15x Coccinelle", r["ratio"] <= 0.15) for r in rows if r["label"] == COCCINELLE]
    for name, ok in targets:
        print(f"{'met ' if ok else 'MISSED'} {name}")
    return 0 if all(ok for _, ok in targets) else 1


if __name__ == "__main__":
    sys.exit(main())
