"""The `campaign` command line: plan, run, report, all."""
from __future__ import annotations

import argparse
import os
import shlex
import subprocess
import sys

EXAMPLES = """examples:
  vfork-codemod campaign plan repos.txt --out campaign/
  parallel --jobs 4 < campaign/jobs.txt          # or xargs, a CI matrix, a batch system
  vfork-codemod campaign report campaign/ --html
  vfork-codemod campaign all repos.txt --out campaign/ --jobs 4

REPOS.txt: one git URL or local repository path a line; `#` starts a comment.

exit status: 0 done (failed repositories are recorded in their results), 2 the command could not run"""


def add(sub, version: str, short: str) -> None:
    """The `campaign` subcommand (``short``: its line in the command list) and its verbs."""
    top = sub.add_parser("campaign", help=short,
                         description="A migration across many repositories, as map then reduce: `plan` writes "
                                     "one job per repository, `run` is one job (clone, scan, review patches, "
                                     "commits on a branch), `report` merges the results; `all` does the three.",
                         epilog=EXAMPLES, allow_abbrev=False, formatter_class=argparse.RawDescriptionHelpFormatter)
    top.add_argument("--version", action="version", version=version)
    verbs = top.add_subparsers(dest="verb", required=True, metavar="VERB")

    def flags(sp):
        sp.add_argument("--out", required=True, metavar="DIR", help="the campaign folder")
        sp.add_argument("--branch", default="vfork-codemod", metavar="NAME",
                        help="the branch the commits go on (default: vfork-codemod)")
        sp.add_argument("--include-review", action="store_true", help="also commit the proposed fork rewrites")
        sp.add_argument("--spawnp", action="store_true", help="let execvp & co. become posix_spawnp")
        sp.add_argument("--strict-exits", action="store_true",
                        help="keep for review a child that may end through a helper's exit()")
        sp.add_argument("--target", choices=("glibc", "posix"), default=None, help="as for scan")

    plan = verbs.add_parser("plan", help="write one job per repository", allow_abbrev=False)
    plan.add_argument("repos", metavar="REPOS.txt")
    flags(plan)
    run = verbs.add_parser("run", help="run the migration of one repository", allow_abbrev=False)
    run.add_argument("source", metavar="URL_OR_PATH")
    flags(run)
    run.add_argument("--force", action="store_true", help="run again even when the result is current")
    report = verbs.add_parser("report", help="merge the results into summary.md and summary.json",
                              allow_abbrev=False)
    report.add_argument("out", metavar="DIR")
    report.add_argument("--html", action="store_true", help="also write summary.html, sortable by column")
    every = verbs.add_parser("all", help="plan, run every repository and report, on this machine",
                             allow_abbrev=False)
    every.add_argument("repos", metavar="REPOS.txt")
    flags(every)
    every.add_argument("-j", "--jobs", type=int, default=1, metavar="N", help="repositories at a time (default 1)")
    every.add_argument("--html", action="store_true", help="also write summary.html")


def _flags(args) -> list:
    """The options every step of a repository's run gets (they make its result current or not)."""
    out = []
    if args.include_review:
        out.append("--include-review")
    if args.spawnp:
        out.append("--spawnp")
    if args.strict_exits:
        out.append("--strict-exits")
    if args.target:
        out += ["--target", args.target]
    return out


def _job_flags(args) -> list:
    return _flags(args) + (["--branch", args.branch] if args.branch != "vfork-codemod" else [])


def main(args) -> int:
    from codemod.campaign import plan, repos, report, run
    from codemod.core.errors import OutputError
    try:
        if args.verb == "plan":
            jobs = plan.write(repos.read(args.repos), args.out, _job_flags(args))
            print(f"planned {len(jobs)} repositories: {os.path.join(args.out, 'jobs.txt')}", file=sys.stderr)
            return 0
        if args.verb == "run":
            result, skipped = run.run(args.source, args.out, _flags(args), args.branch, args.force)
            print(_line(result, skipped), file=sys.stderr)
            return 0
        if args.verb == "report":
            doc = report.write(args.out, args.html)
            print(_totals(doc), file=sys.stderr)
            return 0
        return _all(args)
    except (repos.ReposError, OutputError) as exc:
        print(f"vfork-codemod: {exc}", file=sys.stderr)
        return 2


def _line(result: dict, skipped: bool) -> str:
    state = "up to date, skipped" if skipped else result["status"]
    extra = f": {result['error']}" if result.get("error") else \
        f": {result['rewritten']} rewritten, {len(result['review'])} for review, {len(result['commits'])} commits"
    return f"{result['repo']}: {state}{extra if not skipped else ''}"


def _totals(doc: dict) -> str:
    t = doc["totals"]
    return (f"{t['repositories']} repositories ({t['failed']} failed, {len(doc['not_run'])} not run): "
            f"{t['rewritten']} sites rewritten in {t['commits']} commits, {t['review']} for review")


def _all(args) -> int:
    """plan, run N at a time (each repository in its own process), report."""
    from concurrent.futures import ThreadPoolExecutor
    from codemod.campaign import plan, repos, report
    jobs = plan.write(repos.read(args.repos), args.out, _job_flags(args))
    bar = None
    if sys.stderr.isatty():
        from tqdm import tqdm
        bar = tqdm(total=len(jobs), unit=" repos", desc="campaign", leave=False, file=sys.stderr)

    def one(job):
        argv = [sys.executable, "-m", "codemod", *job["argv"][1:]]
        proc = subprocess.run(argv, capture_output=True)
        if bar is not None:
            bar.update(1)
        tail = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        return tail[-1] if tail else f"{job['repo']}: exit {proc.returncode} ({shlex.join(argv)})"

    with ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        lines = list(pool.map(one, jobs))
    if bar is not None:
        bar.close()
    for line in lines:
        print(line, file=sys.stderr)
    doc = report.write(args.out, args.html)
    print(_totals(doc), file=sys.stderr)
    return 0
