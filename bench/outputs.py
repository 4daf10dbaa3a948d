"""Record what the commands print on fixed trees, to show a refactoring
changed no output.

    python bench/outputs.py record DIR        # run every command, keep its output in DIR
    python bench/outputs.py compare OLD NEW   # byte-compare two recordings

The trees: examples/, every golden input (C and Python), the dense
benchmark tree and a small wide tree.  Each command runs from the tree's
folder with `-j 1`, so paths and order are stable; stdout, stderr, the exit
status and every file `review --out` wrote are kept.  Run `record` at the
commit before the change (a git worktree) and at the change, then `compare`.
"""
from __future__ import annotations

import argparse
import filecmp
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

COMMANDS = {
    "scan-text": ["scan"],
    "scan-json": ["scan", "--format", "json"],
    "scan-sarif": ["scan", "--format", "sarif"],
    "diff": ["diff"],
    "diff-include-review": ["diff", "--include-review"],
    "diff-posix-spawnp": ["diff", "--target", "posix", "--spawnp"],
    "review": ["review", "--out", "{out}"],
    "review-all": ["review", "--all", "--out", "{out}"],
}


def _golden_tree(root: Path) -> Path:
    for lang, ext in (("c", "c"), ("py", "py")):
        for case in sorted((REPO / "tests" / "golden" / lang).iterdir()):
            src = case / f"input.{ext}"
            if src.exists():
                dest = root / lang / f"{case.name}.{ext}"
                dest.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(src, dest)
    return root


def trees(work: Path) -> dict:
    from trees import build_dense, build_wide
    return {
        "examples": REPO / "examples",
        "golden": _golden_tree(work / "golden"),
        "dense": build_dense(work / "dense", files=300),
        "wide": build_wide(work / "wide", files=2000),
    }


def record(out: Path, code: Path) -> None:
    """Run every command on every tree with the package found at ``code``."""
    env = dict(os.environ, PYTHONPATH=str(code), NO_COLOR="1", SOURCE_DATE_EPOCH="1700000000")
    with tempfile.TemporaryDirectory() as tmp:
        for name, tree in trees(Path(tmp)).items():
            for label, argv in COMMANDS.items():
                dest = out / name / label
                dest.mkdir(parents=True, exist_ok=True)
                review_out = dest / "review-out"
                argv = [a.replace("{out}", str(review_out)) for a in argv]
                proc = subprocess.run([sys.executable, "-m", "codemod", *argv[:1], "-j", "1", *argv[1:], "."],
                                      cwd=tree, env=env, capture_output=True)
                (dest / "stdout").write_bytes(proc.stdout)
                (dest / "stderr").write_bytes(proc.stderr.replace(str(review_out).encode(), b"OUT"))
                (dest / "status").write_text(f"{proc.returncode}\n")
            print(f"recorded {name}", file=sys.stderr)


def _without_kinds(data: bytes):
    """A JSON document with the reasons' "kind" fields left out (None if not JSON)."""
    import json
    try:
        doc = json.loads(data)
    except ValueError:
        return None

    def strip(x):
        if isinstance(x, dict):
            return {k: strip(v) for k, v in x.items() if not (k == "kind" and "message" in x and "line" in x)}
        if isinstance(x, list):
            return [strip(v) for v in x]
        return x
    return strip(doc)


def compare(old: Path, new: Path, ignore_kinds: bool = False) -> int:
    """Print every file that differs or exists on one side only; with
    ``ignore_kinds``, JSON that differs only in reasons' "kind" fields is equal."""
    problems = []

    def walk(cmp: filecmp.dircmp, rel: str) -> None:
        problems.extend(f"only in {old / rel}: {n}" for n in cmp.left_only)
        problems.extend(f"only in {new / rel}: {n}" for n in cmp.right_only)
        for n in cmp.common_files:
            a, b = (old / rel / n).read_bytes(), (new / rel / n).read_bytes()
            if a != b and not (ignore_kinds and _without_kinds(a) == _without_kinds(b)):
                problems.append(f"differs: {rel}/{n}")
        for n, sub in cmp.subdirs.items():
            walk(sub, f"{rel}/{n}" if rel else n)
    walk(filecmp.dircmp(old, new), "")
    for p in problems:
        print(p)
    print(f"{len(problems)} differences", file=sys.stderr)
    return 1 if problems else 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="verb", required=True)
    rec = sub.add_parser("record")
    rec.add_argument("out", type=Path)
    rec.add_argument("--code", type=Path, default=REPO, help="the checkout whose package runs (default: this one)")
    cmp_ = sub.add_parser("compare")
    cmp_.add_argument("old", type=Path)
    cmp_.add_argument("new", type=Path)
    cmp_.add_argument("--ignore-kinds", action="store_true",
                      help="JSON and SARIF may differ in the reasons' \"kind\" fields (added in the redesign)")
    args = ap.parse_args()
    if args.verb == "record":
        record(args.out.resolve(), args.code.resolve())
        return 0
    return compare(args.old, args.new, args.ignore_kinds)


if __name__ == "__main__":
    sys.exit(main())
