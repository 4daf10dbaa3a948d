"""The `vfork-codemod` command line: scan, diff, apply."""
from __future__ import annotations

import argparse
import sys
from typing import Optional

from codemod import __version__
from codemod.diffs import unified
from codemod.errors import EXIT_ERROR, EXIT_FINDINGS, EXIT_OK
from codemod.files import ChangedOnDisk, Missing, discover, write_atomically
from codemod.model import Status, Verdict
from codemod.report import as_json, as_text, printable
from codemod.runner import RunOptions, is_actionable, process_file


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="vfork-codemod",
        description="Find vfork(2) and rewrite it to posix_spawn or fork, or explain why a person must decide.",
    )
    p.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def common(sp, rewriting: bool):
        sp.add_argument("paths", nargs="*", default=["."], metavar="PATH",
                        help="files or directories (default: the current directory)")
        sp.add_argument("--target", choices=("glibc", "posix"), default="glibc",
                        help="glibc (default) allows addchdir_np and POSIX_SPAWN_SETSID; "
                             "posix uses POSIX.1-2008 features only")
        if rewriting:
            sp.add_argument("--include-review", action="store_true",
                            help="also apply the proposed fork rewrite of review sites")

    scan = sub.add_parser("scan", help="report every vfork site and its verdict")
    common(scan, rewriting=False)
    scan.add_argument("--format", choices=("text", "json"), default="text")
    diff = sub.add_parser("diff", help="print the rewrites as a unified diff (git apply accepts it)")
    common(diff, rewriting=True)
    apply = sub.add_parser("apply", help="rewrite the files in place")
    common(apply, rewriting=True)
    return p


def _run(paths: list, options: RunOptions):
    results, missing = [], []
    for item in discover(paths):
        if isinstance(item, Missing):
            missing.append(item)
            continue
        if item.language is None:
            missing.append(Missing(item.display, "not a C or Python file (.c, .h, .py)"))
            continue
        results.append(process_file(item.path, item.display, item.language, options))
    return results, missing


def _errors_to_stderr(results: list, missing: list) -> bool:
    failed = False
    for m in missing:
        print(f"vfork-codemod: {m.display}: {m.reason}", file=sys.stderr)
        failed = True
    for r in results:
        if r.status is Status.FAILED:
            print(f"vfork-codemod: {r.path}: {printable(r.error or 'failed')}", file=sys.stderr)
            failed = True
    return failed


def _report_left_alone(results: list, include_review: bool) -> None:
    """diff and apply name, on stderr, every site they did not rewrite and why."""
    for r in results:
        for f in r.findings:
            if f.verdict is Verdict.REVIEW and not (include_review and f.rewritable):
                hint = " (--include-review applies the proposed fork rewrite)" if f.rewritable else ""
                print(f"{f.path}:{f.line}:{f.column}: review: {printable(f.message)}{hint}", file=sys.stderr)


def main(argv: Optional[list] = None) -> int:
    args = _parser().parse_args(argv)
    options = RunOptions(include_review=getattr(args, "include_review", False), target=args.target)
    results, missing = _run(args.paths, options)
    out = sys.stdout

    if args.command == "scan":
        if args.format == "json":
            out.write(as_json(results, missing))
            failed = bool(missing) or any(r.status is Status.FAILED for r in results)
            if missing:
                for m in missing:
                    print(f"vfork-codemod: {m.display}: {m.reason}", file=sys.stderr)
        else:
            out.write(as_text(results, missing))
            failed = _errors_to_stderr(results, missing)
        if failed:
            return EXIT_ERROR
        return EXIT_FINDINGS if any(is_actionable(f) for r in results for f in r.findings) else EXIT_OK

    failed = _errors_to_stderr(results, missing)
    _report_left_alone(results, options.include_review)
    changed = [r for r in results if r.status is Status.CHANGED]
    if args.command == "diff":
        buf = getattr(out, "buffer", None)
        for r in changed:
            patch = unified(r.path, r.original, r.new)
            if buf is not None:
                buf.write(patch)
            else:
                out.write(patch.decode("utf-8", "surrogateescape"))
        out.flush()
        if failed:
            return EXIT_ERROR
        return EXIT_FINDINGS if changed else EXIT_OK

    # apply
    written = 0
    for r in changed:
        try:
            write_atomically(r.path, r.new, r.original)
            written += 1
        except (ChangedOnDisk, OSError) as exc:
            print(f"vfork-codemod: {r.path}: {exc}", file=sys.stderr)
            failed = True
    print(f"rewrote {written} of {len(changed)} files", file=sys.stderr)
    return EXIT_ERROR if failed else EXIT_OK
