"""The floor under any tool built like vfork-codemod: start Python, import
tree-sitter, read every C file under a folder and parse it once, in
``--jobs`` processes.  Nothing is analysed, rewritten or printed.

bench/run.py times this next to `vfork-codemod diff` on the dense tree, so
the figures show how much of a run is Python and parsing, and how much is
the analysis on top.
"""
from __future__ import annotations

import argparse
import os
import sys

import tree_sitter
import tree_sitter_c


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("folder")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    args = ap.parse_args()
    files = sorted(os.path.join(d, f) for d, _, names in os.walk(args.folder) for f in names if f.endswith(".c"))
    children = []
    for part in range(1, args.jobs):
        pid = os.fork()
        if pid == 0:
            _parse(files[part::args.jobs])
            os._exit(0)
        children.append(pid)
    _parse(files[0::args.jobs])
    failed = sum(os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) != 0 for pid in children)
    return 1 if failed else 0


def _parse(files: list) -> None:
    parser = tree_sitter.Parser(tree_sitter.Language(tree_sitter_c.language()))
    for path in files:
        with open(path, "rb") as fh:
            parser.parse(fh.read())


if __name__ == "__main__":
    sys.exit(main())
