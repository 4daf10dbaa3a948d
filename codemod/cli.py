"""The `vfork-codemod` command line: scan, diff, apply, review."""
from __future__ import annotations

import argparse
import os
import sys
from typing import NamedTuple, Optional

from codemod import __version__
from codemod.output import color, formats, progress
from codemod.files import config
from codemod.core import display
from codemod.files import parallel
from codemod.core.errors import (EXIT_BROKEN_PIPE, EXIT_ERROR, EXIT_FINDINGS, EXIT_INTERRUPTED, EXIT_OK, OutputError,
                                  UsageError)
from codemod.core.needles import needles
from codemod.files.walk import Ignore, Missing, Target, WalkLog, discover_groups

# The model, the report and the runner (and the engines) are imported in
# main() after the grep prefilter has started: it reads while they load.


class _Parser(argparse.ArgumentParser):
    """argparse, with a did-you-mean for a mistyped command."""

    def error(self, message: str):
        import difflib
        import re
        bad = re.search(r"invalid choice: '([^']*)'", message)
        if bad and self.prog == "vfork-codemod":
            near = difflib.get_close_matches(bad.group(1), COMMAND_NAMES, n=1)
            if near:
                message += f"; did you mean '{near[0]}'?"
        super().error(message)


COMMAND_NAMES = ("scan", "diff", "apply", "review", "rule", "completion")

# Options accepted before the command as well as after it
# (`vfork-codemod --color never scan .`); after the command wins.
GLOBAL = {"color": "auto", "config": None, "jobs": 0, "quiet": False}

HELP = {
    "scan": ("report every vfork site and its verdict",
             "Report every vfork site with its verdict (spawn, fork, review, note), a message and the reasons.",
             "examples:\n  vfork-codemod scan src/\n  vfork-codemod scan --format sarif -o vfork.sarif .\n"
             "  vfork-codemod scan --baseline vfork-baseline.json .\n\n"
             "exit status: 0 no spawn, fork or review site (or --exit-zero), 1 sites found, 2 errors\n"
             "(141: the reader of the output went away, as in `scan | head`)"),
    "diff": ("print the rewrites as a unified diff (git apply accepts it)",
             "Print the proven rewrites (and with --include-review the proposals) as a unified diff.",
             "examples:\n  vfork-codemod diff src/ | git apply\n  vfork-codemod diff --target posix src/\n\n"
             "exit status: 0 no change (or --exit-zero), 1 changes printed, 2 errors"),
    "apply": ("rewrite the files in place",
              "Rewrite the files in place, atomically, keeping mode, owner and encoding.",
              "examples:\n  vfork-codemod apply src/\n  vfork-codemod apply --interactive src/\n\n"
              "exit status: 0 done, 2 errors (130 Ctrl-C, 128+N another signal)"),
    "review": ("write one git format-patch file per review site",
               "Write a git format-patch file per review site (with --all: a series of every site) and an index.",
               "examples:\n  vfork-codemod review src/ --out review/\n"
               "  vfork-codemod review --all src/ --out review/ && git am review/*.patch\n\n"
               "exit status: 0 written, 2 errors"),
}


CAMPAIGN_HELP = "migrate many repositories: plan, run each, report"
_VALUED = frozenset({"--config", "--color", "-j", "--jobs"})     # global options taking a separate value


def command_of(argv: list) -> Optional[str]:
    """The command ``argv`` names (its first word that is not an option or
    a global option's value), or None when that word is no command."""
    value = False
    for word in argv:
        if value:
            value = False
        elif word in _VALUED:
            value = True
        elif word == "--" or not word.startswith("-"):
            return word if word in COMMAND_NAMES + ("campaign",) else None
    return None


def _parser(only: Optional[str] = None) -> argparse.ArgumentParser:
    """The whole command line, or with ``only`` a command's own options and
    every other command's name and help alone: a run builds the options of
    the command it runs (a warm scan is a few tens of milliseconds, a sixth
    of which went on building every command's options)."""
    def wanted(name: str) -> bool:
        return only is None or only == name

    p = _Parser(
        prog="vfork-codemod", allow_abbrev=False,
        description="Find vfork(2) in C and Python code and rewrite it to posix_spawn or fork, "
                    "or explain why a person must decide.",
        epilog="Exit status: 0 nothing to do (or done), 1 sites found / changes printed, 2 errors.",
    )
    version = f"%(prog)s {__version__}"
    p.add_argument("--version", action="version", version=version)
    _global_options(p, argparse.SUPPRESS)
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND", parser_class=argparse.ArgumentParser)

    def command(name: str, **extra) -> argparse.ArgumentParser:
        short, description, epilog = HELP[name]
        sp = sub.add_parser(name, help=short, description=description, epilog=epilog, allow_abbrev=False,
                            formatter_class=argparse.RawDescriptionHelpFormatter, **extra)
        sp.add_argument("--version", action="version", version=version)
        return sp

    def common(sp, rewriting: bool):
        sp.add_argument("paths", nargs="*", default=["."], metavar="PATH",
                        help="files or directories (default: the current directory)")
        sp.add_argument("--target", choices=("glibc", "posix"), default=None,
                        help="glibc (default) allows addchdir_np and POSIX_SPAWN_SETSID; "
                             "posix uses POSIX.1-2008 features only")
        sp.add_argument("--exclude", action="append", default=[], metavar="PATTERN",
                        help="leave out walked files matching this gitignore-style pattern (repeatable)")
        sp.add_argument("--no-gitignore", action="store_true", help="do not honour .gitignore files")
        sp.add_argument("--force-exclude", action="store_true",
                        help="apply the exclude patterns to paths named on the command line too "
                             "(pre-commit names every staged file)")
        sp.add_argument("--alias", action="append", default=[], metavar="NAME",
                        help="a project name that behaves like vfork (repeatable)")
        sp.add_argument("--exec-wrapper", action="append", default=[], metavar="NAME",
                        help="a project function that execs or exits and never returns (repeatable)")
        sp.add_argument("--safe-function", action="append", default=[], metavar="NAME",
                        help="a project function a child may call (repeatable)")
        sp.add_argument("--die-function", action="append", default=[], metavar="NAME",
                        help="a project function that ends the process and never execs, such as busybox's "
                             "xfunc_die (repeatable): what a failing child does before calling it is its own "
                             "after fork")
        sp.add_argument("--strict-exits", action=argparse.BooleanOptionalAction, default=None,
                        help="keep for review a child that may end through project code calling exit() (its "
                             "set-up or exec failed): after fork that exit flushes the child's copies of the "
                             "parent's stdio buffers (default: fork, with the reason)")
        sp.add_argument("--include-dir", action="append", default=[], metavar="DIR",
                        help="also read the definitions in DIR (helpers, wrappers, noreturn declarations) "
                             "without analysing its files (repeatable)")
        sp.add_argument("-D", "--define", action="append", default=[], metavar="NAME[=VALUE]",
                        help="the build defines NAME (as cc -D): `#if`s it decides are read decided (repeatable)")
        sp.add_argument("-U", "--undefine", action="append", default=[], metavar="NAME",
                        help="the build leaves NAME undefined (as cc -U) (repeatable)")
        sp.add_argument("--compile-commands", metavar="FILE",
                        help="a compile_commands.json: each file's -D/-U/-I, and every rewrite compiled with "
                             "its file's own command (-fsyntax-only) before it is kept")
        sp.add_argument("--project", action=argparse.BooleanOptionalAction, default=None,
                        help="learn project helpers, wrappers and redirects from the rest of the tree "
                             "(default); --no-project analyses each file alone")
        sp.add_argument("--spawnp", action=argparse.BooleanOptionalAction, default=None,
                        help="let execvp/execlp/execvpe become posix_spawnp, accepting that a file without "
                             "#! then fails with ENOEXEC instead of running under /bin/sh (default: fork)")
        sp.add_argument("--max-parse-memory", type=_megabytes, default=None, metavar="MB",
                        help="memory one file's parse may use (default 400): larger C files are skipped "
                             "with a note, a Python parse that needs more is stopped and reported")
        sp.add_argument("--max-worker-memory", type=_megabytes, default=None, metavar="MB",
                        help="memory a worker process may add while it analyses (default 2048): a file that "
                             "needs more fails alone, with an error naming it, and the run goes on")
        _global_options(sp, argparse.SUPPRESS)
        if rewriting:
            sp.add_argument("--include-review", action=argparse.BooleanOptionalAction, default=None,
                            help="also apply the proposed fork rewrite of review sites")

    def reporting(sp):
        sp.add_argument("--stdin-filename", metavar="NAME",
                        help="with the path `-`: the name (and so the language) of the source read from stdin")
        sp.add_argument("-o", "--output-file", metavar="FILE", help="write the output to FILE instead of stdout")
        sp.add_argument("--exit-zero", action="store_true",
                        help="exit 0 even when sites or changes are found (errors still exit 2)")

    scan = command("scan")
    if wanted("scan"):
        _scan_options(scan, common, reporting)
    diff = command("diff")
    if wanted("diff"):
        common(diff, rewriting=True)
        reporting(diff)
        _cache_options(diff)
    apply = command("apply")
    if wanted("apply"):
        common(apply, rewriting=True)
        _apply_options(apply)
    review = command("review")
    if wanted("review"):
        common(review, rewriting=False)
        review.add_argument("--out", required=True, metavar="DIR", help="folder for the patches and the index")
        review.add_argument("--all", action="store_true", help="also write patches for spawn and fork sites")
    rule = sub.add_parser("rule", help="explain a rule: what it finds, why, an example, its fix's safety",
                          description="Explain a rule, as `ruff rule` does; `--all` lists every rule.",
                          epilog="examples:\n  vfork-codemod rule vfork-to-spawn\n  vfork-codemod rule --all\n\n"
                                 "exit status: 0 explained, 2 unknown rule",
                          allow_abbrev=False, formatter_class=argparse.RawDescriptionHelpFormatter)
    rule.add_argument("--version", action="version", version=version)
    rule.add_argument("rule", nargs="?", metavar="RULE", help="a rule id, e.g. vfork-to-spawn")
    rule.add_argument("--all", action="store_true", help="list every rule")
    completion = sub.add_parser("completion", help="print a shell completion script (bash or zsh)",
                                description="Print a completion script made from this command line's own flags.",
                                epilog="examples:\n  vfork-codemod completion bash > ~/.local/share/bash-completion/"
                                       "completions/vfork-codemod\n  vfork-codemod completion zsh > "
                                       "\"${fpath[1]}/_vfork-codemod\"\n\nexit status: 0",
                                allow_abbrev=False, formatter_class=argparse.RawDescriptionHelpFormatter)
    completion.add_argument("--version", action="version", version=version)
    completion.add_argument("shell", choices=("bash", "zsh"))
    if wanted("campaign"):
        from codemod.campaign import cli as campaign
        campaign.add(sub, version, CAMPAIGN_HELP)
    else:
        sub.add_parser("campaign", help=CAMPAIGN_HELP)
    return p


def _scan_options(scan, common, reporting) -> None:
    common(scan, rewriting=False)
    reporting(scan)
    scan.add_argument("--format", choices=formats.NAMES, default="text")
    scan.add_argument("--statistics", action="store_true", help="print counts per rule and verdict instead of sites")
    scan.add_argument("--baseline", metavar="FILE",
                      help="an earlier `scan --format json` output: sites already in it are not reported "
                           "and do not fail the run (matched without line numbers)")
    scan.add_argument("--explain", action="store_true",
                      help="text format: also list what the project index learned (wrappers, redirects, "
                           "helpers and their summaries)")
    scan.add_argument("--report-unused-suppressions", action="store_true",
                      help="report `vfork-codemod: ignore` comments that cover no site (they fail the run)")
    _cache_options(scan)


def _cache_options(sp) -> None:
    sp.add_argument("--no-cache", action="store_true",
                    help="neither read nor write the cache (a re-run over an unchanged tree reports what "
                         "the last run did after a walk and a stat of each file)")
    sp.add_argument("--cache-dir", metavar="DIR",
                    help="the cache folder (default: .vfork-codemod-cache beside the configuration file, "
                         "else in the current folder)")


def _apply_options(apply) -> None:
    apply.add_argument("-i", "--interactive", action="store_true",
                       help="show each change and ask whether to apply it (needs a terminal)")
    apply.add_argument("--commit", action="store_true",
                       help="commit the changes in the git work tree holding the paths, with the review "
                            "patches' subjects and reasons (refuses a work tree with uncommitted changes)")
    apply.add_argument("--commit-per", choices=("file", "site"), default="file",
                       help="with --commit: one commit per changed file (default) or per rewritten site")
    apply.add_argument("--branch", metavar="NAME",
                       help="check out branch NAME first, creating it at HEAD when it does not exist")
    apply.add_argument("--allow-dirty", action="store_true",
                       help="with --commit or --branch: run on a work tree with uncommitted changes "
                            "(files that have them are left alone)")


def _global_options(sp, default) -> None:
    sp.add_argument("--config", metavar="FILE", default=default,
                    help="configuration file (default: the nearest pyproject.toml with "
                         "[tool.vfork-codemod], or .vfork-codemod.toml)")
    sp.add_argument("--color", choices=("auto", "always", "never"), default=default,
                    help="colour the output: auto (a terminal, unless NO_COLOR), always, never")
    sp.add_argument("-j", "--jobs", type=_positive, default=default, metavar="N",
                    help="worker processes (default: one per CPU; 1 runs in-process)")
    sp.add_argument("-q", "--quiet", action="store_true", default=default,
                    help="print sites, changes and errors only: no summary, notes or progress")


def _parse(argv: Optional[list]):
    words = sys.argv[1:] if argv is None else argv
    args = _parser(command_of(words)).parse_args(argv)
    for name, value in GLOBAL.items():
        if not hasattr(args, name):
            setattr(args, name, value)
    return args


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number of at least 1, not {text!r}")
    return value


def _megabytes(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < config.MIN_PARSE_MEMORY:
        raise argparse.ArgumentTypeError(f"must be a whole number of megabytes, at least "
                                         f"{config.MIN_PARSE_MEMORY}, not {text!r}")
    return value


def _check_macros(args) -> None:
    import re
    for flag, values in (("--define", args.define), ("--undefine", args.undefine)):
        for item in values:
            if not re.match(r"^[A-Za-z_]\w*(=.*)?$" if flag == "--define" else r"^[A-Za-z_]\w*$", item):
                raise UsageError(f"{flag} {item!r}: expected NAME" + ("[=VALUE]" if flag == "--define" else "")
                                 + " with NAME a C identifier")


def _check_dirs(args) -> None:
    for folder in args.include_dir:
        if not os.path.isdir(folder):
            raise UsageError(f"--include-dir {folder!r}: not a folder")


def _check_names(args) -> None:
    for flag, key, values in (("--alias", "aliases", args.alias), ("--exec-wrapper", "exec-wrappers",
                                                                   args.exec_wrapper),
                              ("--safe-function", "safe-functions", args.safe_function),
                              ("--die-function", "die-functions", args.die_function)):
        for name in values:
            problem = config.bad_name(key, name)
            if problem:
                raise UsageError(f"{flag} {name!r}: {problem}")


def _aliases(args, cfg) -> tuple:
    return tuple(dict.fromkeys(cfg.aliases + args.alias))


def _options(args, cfg) -> tuple:
    import dataclasses
    from codemod.core.options import RunOptions, merge_macros
    include_review = getattr(args, "include_review", None)
    options = RunOptions(
        include_review=cfg.include_review if include_review is None else include_review,
        target=args.target or cfg.target,
        aliases=_aliases(args, cfg),
        exec_wrappers=tuple(dict.fromkeys(cfg.exec_wrappers + args.exec_wrapper)),
        safe_functions=tuple(dict.fromkeys(cfg.safe_functions + args.safe_function)),
        die_functions=tuple(dict.fromkeys(cfg.die_functions + args.die_function)),
        strict_exits=cfg.strict_exits if args.strict_exits is None else args.strict_exits,
        spawnp=cfg.spawnp if args.spawnp is None else args.spawnp,
        max_parse_memory=args.max_parse_memory or cfg.max_parse_memory,
        max_worker_memory=args.max_worker_memory or cfg.max_worker_memory,
        include_dirs=tuple(dict.fromkeys(cfg.include_dirs + args.include_dir)),
        **merge_macros((cfg.defines, cfg.undefines), (args.define, args.undefine)),
        project=cfg.project if args.project is None else args.project,
        diffs=args.command == "diff",
        renders=args.command == "review" or getattr(args, "interactive", False)
        or getattr(args, "format", None) == "sarif"
        or (getattr(args, "commit", False) and args.commit_per == "site"),
        # A result is kept until the report; scan and diff need its findings
        # and patch, not the file's text, so a run's memory stays flat.
        texts=args.command in ("apply", "review") or getattr(args, "format", None) == "sarif",
    )
    if getattr(args, "compile_commands", None) or cfg.compile_commands:
        from codemod.files import compiledb
        try:
            db = compiledb.load(args.compile_commands or cfg.compile_commands)
        except compiledb.CompileDBError as exc:
            raise UsageError(str(exc))
        extra = tuple(dict.fromkeys(d for e in db.values() for d in e.include_dirs if os.path.isdir(d)))
        options = dataclasses.replace(options, compile_db=db,
                                      include_dirs=tuple(dict.fromkeys(options.include_dirs + extra)))
    ignore = Ignore(excludes=[(cfg.root or ".", cfg.exclude), (".", args.exclude)],
                    gitignore=not args.no_gitignore, force=args.force_exclude)
    return options, ignore


class Run(NamedTuple):
    """What the walk and the analyses produced, for the command to report."""

    results: list          # FileResult values in walk order
    missing: list          # Missing: paths that could not be used
    files: int             # files read
    stale: list            # Stale: temporary files an interrupted run left
    project: object = None  # (engine, knowledge, Tree) when a project index ran
    memo: Optional[dict] = None   # "described": the index's summary for the reports, once made (the cache keeps it)


def _cache(args, cfg, options):
    """The run's cache (codemod.files.cache): `scan` and `diff` over paths
    on disk, unless --no-cache; in --cache-dir, else
    .vfork-codemod-cache/ beside the configuration file or here."""
    from codemod.files import cache
    usable = args.command in ("scan", "diff") and not getattr(args, "no_cache", False) \
        and not os.environ.get("VFORK_CODEMOD_NO_CACHE")
    folder = getattr(args, "cache_dir", None) or os.environ.get("VFORK_CODEMOD_CACHE_DIR") or os.path.join(str(cfg.root) if cfg.root else ".", cache.DIRECTORY)
    parts = (args.command, tuple(os.path.abspath(p) for p in args.paths), os.getcwd(), repr(options),
             repr((cfg.exclude, args.exclude, args.no_gitignore, args.force_exclude)))
    return cache.Cache(folder if usable else None, parts)


class _Walked(NamedTuple):
    """The walk made to check the cache, handed on to the run on a miss."""

    items: list
    stale: list
    stats: dict
    cache: object
    walk: object          # its walkrecord.WalkRecord, or None


def _cached_walk(paths: list, ignore, cache, options, summary: bool = True):
    """The cached Run when the cache holds one still valid for the files
    the walk finds now; else that walk (a :class:`_Walked`), or None when
    the cache is off.  The walk itself is the recorded one when no folder
    or ignore file changed (codemod.files.walkrecord); a hit over unchanged
    files reads only the entry's head, which holds the project index's
    summary once a report needing it (``summary``: JSON, --explain) made it."""
    if cache.folder is None:
        return None
    import time
    from codemod.files import cache as caching, walkrecord
    stale: list = []
    started = time.time_ns()
    head = cache.head()
    items = walkrecord.replay(head.walk, paths) if head is not None and not options.include_dirs else None
    replayed = items is not None
    if not replayed:
        ignore.log = WalkLog()
        items = list(discover_groups(paths, ignore, stale))
    stats = _stats(items, options, started)
    recorded = (head.walk if replayed else
                None if stale or options.include_dirs else walkrecord.record(paths, items, ignore.log, started))
    ignore.log = None
    cache.seen = (stats, recorded)
    if head is None:
        return _Walked(items, stale, stats, cache, recorded)
    same = not caching.changed_files(head, stats)
    entry = None
    if not (same and (not summary or "described" in head.memo)):
        entry = cache.load()            # the knowledge: to decide, or to summarise it
        from codemod.engines.c.project.index import definable_names
        from codemod.engines.c.project.knowledge import facts
        if entry is None or not caching.still_valid(entry, stats, options.needles, definable_names, facts):
            return _Walked(items, stale, stats, cache, recorded)
    for item in items:
        if not isinstance(item, Missing):
            progress.walked(item.walked)
    exact = stats == head.stats and None not in stats.values()
    cache.outcome = "hit" if exact else "kept"
    files = head.files + len(stats) - len(head.stats)
    if not exact or (not replayed and recorded is not None):
        # The next run compares with these stats and replays this walk.
        head = head._replace(stats=stats, files=files, walk=recorded)
        cache.store_head(head)
    if entry is None:
        return Run(head.results, head.missing, head.files, stale, _Described(), dict(head.memo))
    project = None
    if entry.project is not None:
        from codemod.engines.base import engine
        language, knowledge, searches, reads = entry.project
        project = (engine(language), knowledge, _Counts(searches, reads))
    return Run(entry.results, entry.missing, files, stale, project, dict(entry.memo))


class _Described:
    """The project of a cached run whose summary the memo holds (its
    knowledge left unread)."""


class _Counts(NamedTuple):
    """The index's counters of a cached run (what reports read of its Tree)."""

    searches: int
    reads: int


def _stats(items: list, options, started: int) -> dict:
    """Path -> signature of every walked file.  A file changed less than
    two seconds before the walk may change again within the same clock tick
    with its size kept (git's "racily clean" entries): it is recorded as
    unknown, so the next run reads it to decide."""
    from codemod.files.stamps import RECENT_NS, signature
    from codemod.files.tree import included_files
    paths = []
    for item in items:
        if isinstance(item, Target):
            paths.append(item.path)
        elif not isinstance(item, Missing):
            paths.extend(item.base + name for name, _ in item.files)
    paths.extend(included_files(options.include_dirs))
    out = {}
    for p in paths:
        sig = signature(p)
        out[p] = None if sig is not None and sig[1] >= started - RECENT_NS else sig
    return out


def _store(cache, run: "Run", walked, options) -> None:
    """Record the run (a cold run, or one the cache could not keep)."""
    if walked is None or cache.folder is None or run.stale:
        return
    from codemod.core.model import Status
    from codemod.files import cache as caching
    words: set = set()
    defined: set = set()
    read: set = set()
    analysed: set = set()
    learned: dict = {}
    project = None
    if run.project is not None:
        eng, knowledge, tree = run.project
        project = (eng.language, knowledge, tree.searches, tree.reads)
        defined = {w.encode() for w in knowledge.searched}
        words |= set(knowledge.wrappers)
        words |= {r.definition.name for r in knowledge.redirects}
        read |= knowledge.read
        learned = dict(knowledge.facts)
        words |= {os.path.splitext(os.path.basename(r.definition.path))[0] for r in knowledge.redirects}
    by_display = {}
    for item in walked.items:
        if isinstance(item, Target):
            by_display[item.display] = item.path
        elif not isinstance(item, Missing):
            by_display.update((item.prefix + name, item.base + name) for name, _ in item.files)
    for r in run.results:
        if r.findings or r.status is not Status.UNCHANGED or r.error:
            analysed.add(by_display.get(r.path, r.path))
    if any(m for m in run.missing):
        return              # a path that could not be used is told again by a new run
    cache.store(caching.Entry(walked.stats, run.results, run.missing, run.files, dict(run.memo or {}),
                              walked.walk, caching.digests(analysed | read, walked.stats), project,
                              frozenset(w.encode() for w in words if w), frozenset(defined), frozenset(read),
                              learned, frozenset(analysed)))


def _run(paths: list, options, ignore, jobs: int, grep, walked=None, quiet: bool = False) -> Run:
    from codemod.engines.base import handled_files
    missing = []
    stale: list = list(walked.stale) if walked is not None else []

    from codemod.engines.base import engines
    from codemod.files.tree import Tree
    learners = [e for e in engines() if e.learns] if options.project else []
    trees = [(e, Tree(paths, e.extensions, options.include_dirs, lambda: discover_groups(paths, ignore, [])))
             for e in learners]

    def targets():
        items = walked.items if walked is not None else \
            discover_groups(paths, ignore, stale, getattr(grep, "walk", None))
        for item in items:
            if isinstance(item, Missing):
                missing.append(item)
                continue
            progress.walked(item.walked)
            if isinstance(item, Target) and item.language is None:
                missing.append(Missing(item.display, f"not a {handled_files()}"))
            else:
                yield item
    with progress.shown(sys.stderr, not quiet):
        results, files = parallel.run(targets(), options, jobs, grep)
        project = None
        for eng, tree in trees:
            if any(r.language == eng.language and (r.asks or r.findings) for r in results):
                progress.stage("learning the project")
                results, knowledge = eng.learn(tree, results, options, lambda found, opts, lang=eng.language:
                                               parallel.analyse_files(found, opts, jobs, lang))
                project = (eng, knowledge, tree)
                if tree.problems:
                    from codemod.core.model import Status
                    told = {m.display for m in missing} | {r.path for r in results if r.status is Status.FAILED}
                    missing.extend(Missing(shown, why) for shown, why in tree.problems if shown not in told)
    return Run(results, missing, files, stale, project, {})



def _errors_to_stderr(results: list, missing: list, quiet: bool = False) -> bool:
    from codemod.core.model import Status
    on = color.enabled(sys.stderr)
    for m in missing:
        print(color.paint(f"vfork-codemod: {display.path(m.display)}: {m.reason}", "error", on), file=sys.stderr)
    for r in results:
        if r.status is Status.SKIPPED and not quiet:
            print(f"vfork-codemod: {display.path(r.path)}: note: {display.text(r.error or 'skipped')}",
                  file=sys.stderr)
        if r.status is Status.FAILED:
            print(color.paint(f"vfork-codemod: {display.path(r.path)}: {display.text(r.error or 'failed')}",
                              "error", on), file=sys.stderr)
    return bool(missing) or any(r.status is Status.FAILED for r in results)


def _report_left_alone(results: list, include_review: bool) -> None:
    """diff and apply name, on stderr, every site they did not rewrite and why."""
    from codemod.core.model import Verdict, applies
    for r in results:
        for f in r.findings:
            if f.verdict is Verdict.REVIEW and not f.suppressed and not applies(f, include_review):
                hint = " (--include-review applies the proposed fork rewrite)" if f.rewritable else ""
                print(f"{display.path(f.path)}:{f.line}:{f.column}: review: {display.text(f.message)}{hint}",
                      file=sys.stderr)


def main(argv: Optional[list] = None) -> int:
    """The command line; returns the exit status."""
    try:
        return _main(argv)
    except BrokenPipeError:
        # The reader of the output went away (`scan | head`): stop quietly,
        # as a filter does, and keep Python's last flush from complaining.
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
        except (OSError, ValueError, AttributeError):
            pass
        return EXIT_BROKEN_PIPE


def _main(argv: Optional[list]) -> int:
    args = _parse(argv)
    if args.command == "rule":
        return _rule(args)
    if args.command == "campaign":
        from codemod.campaign import cli as campaign
        return campaign.main(args)
    if args.command == "completion":
        from codemod import completion
        sys.stdout.write(getattr(completion, args.shell)(_parser()))
        return EXIT_OK
    try:
        _check_names(args)
        _check_dirs(args)
        _check_macros(args)
        cfg = config.load(args.paths, args.config)
        if args.command == "apply" and args.interactive and not sys.stdin.isatty():
            raise UsageError("apply --interactive needs a terminal on standard input; "
                             "use `vfork-codemod diff` to review changes non-interactively")
    except (config.ConfigError, UsageError) as exc:
        print(f"vfork-codemod: {display.text(str(exc))}", file=sys.stderr)
        return EXIT_ERROR
    from codemod.files.atomic import Stopped, stop_on_signals
    stop_on_signals()
    jobs = args.jobs or parallel.default_jobs()
    if args.command == "apply" and (args.commit or args.branch):
        try:
            args.git_root, args.dirty = _prepare_git(args)
        except UsageError as exc:
            print(f"vfork-codemod: {display.text(str(exc))}", file=sys.stderr)
            return EXIT_ERROR
    if "-" in args.paths:
        return _from_stdin(args, cfg)
    grep = walked = recorder = None
    reported = False                    # the report is out: the replay record may be kept
    try:
        try:
            options, ignore = _options(args, cfg)
            cache = _cache(args, cfg, options)
            recorder = _recorder(args, options, cache, sys.argv[1:] if argv is None else argv)
            walked = _cached_walk(args.paths, ignore, cache, options,
                                  getattr(args, "format", None) == "json" or getattr(args, "explain", False))
            if isinstance(walked, Run):
                run = walked
            else:
                grep = parallel.start_prefilter(args.paths, needles(_aliases(args, cfg)), jobs)
                run = _run(args.paths, options, ignore, jobs, grep, walked, args.quiet)
        except UsageError as exc:
            print(f"vfork-codemod: {display.text(str(exc))}", file=sys.stderr)
            return EXIT_ERROR
        except (KeyboardInterrupt, Stopped) as exc:
            print(f"vfork-codemod: {_signal_name(exc)} before any file was written", file=sys.stderr)
            return _signal_status(exc)
        finally:
            if grep is not None:
                grep.stop()
        try:
            _stale_notes(run.stale, remove=args.command == "apply", quiet=args.quiet)
            status = COMMANDS[args.command](args, options, run)
            if isinstance(walked, _Walked):
                _store(walked.cache, run, walked, options)      # after the reports: with what they made
            elif isinstance(walked, Run) and run.memo and cache.head() is not None and run.memo != cache.head().memo:
                cache.store_head(cache.head()._replace(memo=dict(run.memo)))   # the summary a report made
            reported = True
            return status
        except OutputError as exc:
            print(f"vfork-codemod: {exc}", file=sys.stderr)
            return EXIT_ERROR
        except (KeyboardInterrupt, Stopped) as exc:
            print(f"vfork-codemod: {_signal_name(exc)}; files already written are complete, the others untouched",
                  file=sys.stderr)
            return _signal_status(exc)
    finally:
        if recorder is not None:
            # The streams given back first (what they buffer goes out), then
            # the record of a run whose report is whole.
            recorder.stop()
            try:
                if reported:
                    _replay_record(recorder, args, cfg, cache, run, status)
            finally:
                recorder.close()


def _recorder(args, options, cache, argv: list):
    """A replay.Recorder for a run whose output the warm fast path may
    replay (codemod.files.replay): `scan` or `diff` of paths on disk using
    the cache, reporting on standard output, reading no folder beside the
    tree (--include-dir) and no compilation database."""
    if cache.folder is None or getattr(args, "output_file", None) or options.include_dirs or options.compile_db:
        return None
    from codemod.files import replay
    return replay.Recorder.start(argv)


def _replay_record(recorder, args, cfg, cache, run: Run, status: int) -> None:
    """Keep the replay record of this run (codemod.files.replay) when its
    inputs were settled and nothing it reported was missing."""
    if run.stale or run.missing or cache.seen is None or progress.drawn():
        return
    from codemod.files import cache as caching, replay, stamps
    try:
        inputs = replay.config_inputs(args.paths, args.config, cfg.source) + list(caching.build())
        if getattr(args, "baseline", None):
            inputs.append((args.baseline, stamps.signature(args.baseline, True)))
        data = recorder.record(status, inputs, cache.seen[1], cache.seen[0], cache.digests)
    except (OSError, ValueError, TypeError):
        return                        # a record that cannot be made is not kept; the run's output is out
    if data is not None:
        cache.put(replay.record_name(recorder.key), data)


def _scan(args, options, run: Run) -> int:
    from codemod.core.model import actionable
    results = run.results
    if args.baseline:
        try:
            results = _without_baseline(results, args.baseline)
        except UsageError as exc:
            print(f"vfork-codemod: {display.text(str(exc))}", file=sys.stderr)
            return EXIT_ERROR
    unused = [(r.path, line, rules) for r in results for line, rules in r.unused_suppressions] \
        if args.report_unused_suppressions else None
    with _output(args) as out:
        report = formats.Report(results, run.missing, run.files, options,
                                out is sys.stdout and color.enabled(sys.stdout, args.color), unused, args.quiet,
                                # Only JSON and --explain show it; summarising every helper can take long.
                                _project(run, options) if args.format == "json" or args.explain else None,
                                args.explain)
        if args.statistics:
            out.write(_statistics(results))
        else:
            formats.writer(args.format)(report, out)
    failed = _errors_to_stderr(results, run.missing, args.quiet)
    if failed:
        return EXIT_ERROR
    found = any(actionable(f) for r in results for f in r.findings) or bool(unused)
    return EXIT_FINDINGS if found and not args.exit_zero else EXIT_OK


def _project(run: Run, options) -> Optional[dict]:
    """What the project index learned, for the reports (None: it did not run)."""
    if run.project is None:
        return None
    memo = run.memo if run.memo is not None else {}
    if "described" not in memo:
        eng, knowledge, tree = run.project
        memo["described"] = eng.describe(knowledge, options, tree)
    return memo["described"]


def _statistics(results: list) -> str:
    """`--statistics`: how many sites of each rule and verdict."""
    from collections import Counter
    counts = Counter((f.rule, f.verdict.value) for r in results for f in r.findings if not f.suppressed)
    if not counts:
        return ""
    width = max(len(rule) for rule, _ in counts)
    return "".join(f"{n:>6}  {rule:<{width}}  {verdict}\n"
                   for (rule, verdict), n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


class _output:
    """stdout, or the file of -o/--output-file (written whole, UTF-8)."""

    def __init__(self, args):
        self.path = getattr(args, "output_file", None)
        self.stream = None

    def __enter__(self):
        if self.path is None:
            return sys.stdout
        import io
        self.buffer = io.BytesIO()
        self.stream = io.TextIOWrapper(self.buffer, encoding="utf-8", errors="surrogateescape", newline="")
        return self.stream

    def __exit__(self, kind, value, tb):
        if self.stream is None or kind is not None:
            return False
        self.stream.flush()
        try:
            with open(self.path, "wb") as fh:
                fh.write(self.buffer.getvalue())
        except OSError as exc:
            raise OutputError(f"{display.path(self.path)}: {exc.strerror}")
        return False


def _from_stdin(args, cfg) -> int:
    """`scan -` / `diff -`: the source comes from standard input, named by --stdin-filename."""
    from codemod.engines.base import handled_files
    from codemod.files.walk import language_of
    from codemod.pipeline import process_source
    if args.command not in ("scan", "diff") or args.paths != ["-"]:
        print("vfork-codemod: `-` (standard input) is for scan and diff, and alone among the paths",
              file=sys.stderr)
        return EXIT_ERROR
    name = args.stdin_filename
    language = language_of(name) if name else None
    if language is None:
        print(f"vfork-codemod: reading standard input needs --stdin-filename NAME, the name of a "
              f"{handled_files()}", file=sys.stderr)
        return EXIT_ERROR
    try:
        options, _ = _options(args, cfg)
    except UsageError as exc:
        print(f"vfork-codemod: {display.text(str(exc))}", file=sys.stderr)
        return EXIT_ERROR
    result = process_source(sys.stdin.buffer.read(), name, language, options)
    if options.diffs and result.new is not None:
        from codemod.core.diffs import unified
        result.patch = unified(name, result.original, result.new, edits=result.edits)
    run = Run([result] if result.findings or result.error else [], [], 1, [], None)
    return COMMANDS[args.command](args, options, run)


def _without_baseline(results: list, path: str) -> list:
    """The results with the findings of the baseline file left out (each
    baseline entry hides one finding with the same fingerprint)."""
    import dataclasses
    import json
    from collections import Counter
    try:
        with open(path, "rb") as fh:
            doc = json.loads(fh.read())
        known = Counter(f["fingerprint"] for f in doc["findings"] if not f.get("suppressed"))
    except OSError as exc:
        raise UsageError(f"--baseline {path}: {exc.strerror}")
    except (ValueError, KeyError, TypeError):
        raise UsageError(f"--baseline {path}: not the JSON of `vfork-codemod scan --format json` from this "
                         "version (findings with fingerprints)")
    out = []
    for r in results:
        kept = []
        for f in r.findings:
            if not f.suppressed and known[f.fingerprint] > 0:
                known[f.fingerprint] -= 1
                continue
            kept.append(f)
        out.append(dataclasses.replace(r, findings=kept) if len(kept) != len(r.findings) else r)
    return out


def _diff(args, options, run: Run) -> int:
    results, missing = run.results, run.missing
    from codemod.core.model import Status
    failed = _errors_to_stderr(results, missing, args.quiet)
    if not args.quiet:
        _report_left_alone(results, options.include_review)
    from codemod.core.diffs import unified
    changed = [r for r in results if r.status is Status.CHANGED]
    with _output(args) as out:
        on = out is sys.stdout and color.enabled(sys.stdout, args.color)
        for r in changed:
            patch = r.patch if r.patch is not None else unified(r.path, r.original, r.new, edits=r.edits)
            if on:
                out.write(color.diff(patch.decode("utf-8", "replace"), on))
            else:
                out.flush()
                out.buffer.write(patch)
        out.flush()
    if failed:
        return EXIT_ERROR
    return EXIT_FINDINGS if changed and not args.exit_zero else EXIT_OK


def _prepare_git(args) -> tuple:
    """`apply --commit` / `--branch`: the work tree's root and its files with
    uncommitted changes, after checking out the branch."""
    from codemod.files import vcs
    if args.interactive and args.commit:
        raise UsageError("--commit and --interactive cannot be combined; commit what -i applied with git")
    if "-" in args.paths:
        raise UsageError("--commit and --branch need files in a git work tree, not standard input")
    folder = config.common_folder(args.paths)
    root = vcs.root_of(folder)
    if root is None:
        raise UsageError(f"--commit and --branch need a git work tree; {folder} is not in one")
    try:
        dirty = vcs.dirty(root)
        if dirty and not args.allow_dirty:
            shown = ", ".join(dirty[:3]) + (f" and {len(dirty) - 3} more" if len(dirty) > 3 else "")
            raise UsageError(f"the work tree at {root} has uncommitted changes ({shown}); commit or stash "
                             "them, or pass --allow-dirty to leave those files alone")
        if args.branch:
            created = vcs.switch(root, args.branch)
            if not args.quiet:
                print(f"vfork-codemod: {'created' if created else 'on'} branch {args.branch}", file=sys.stderr)
    except vcs.GitError as exc:
        raise UsageError(str(exc))
    return root, {os.path.join(root, d) for d in dirty}


def _commit_changes(args, options, changed: list) -> tuple:
    """Write and commit each changed file (or each site); (commits, failed)."""
    from codemod.core.model import applies
    from codemod.files import vcs
    from codemod.files.atomic import ChangedOnDisk, NotWritten, write_atomically
    from codemod.output.patches import commit_message
    from codemod.pipeline import select
    commits, failed = [], False
    for r in changed:
        path = os.path.abspath(r.path)
        if path in args.dirty:
            print(f"vfork-codemod: {display.path(r.path)}: has uncommitted changes; left alone", file=sys.stderr)
            continue
        picked = [f for f in select(r.findings, options.include_review)[0] if applies(f, options.include_review)]
        steps = [([f], r.render(picked[: i + 1])) for i, f in enumerate(picked)] \
            if args.commit_per == "site" and len(picked) > 1 else [(picked, r.new)]
        if any(new is None for _, new in steps):
            steps = [(picked, r.new)]
        before = r.original
        try:
            for findings, new in steps:
                write_atomically(r.path, new, before)
                before = new
                commits.append(vcs.commit(args.git_root, [r.path], commit_message(findings, r.path)))
        except (ChangedOnDisk, NotWritten, OSError, vcs.GitError) as exc:
            print(f"vfork-codemod: {display.path(r.path)}: {display.text(_why(exc))}", file=sys.stderr)
            failed = True
    return commits, failed


def _apply(args, options, run: Run) -> int:
    results, missing = run.results, run.missing
    from codemod.core.model import Status
    from codemod.files.atomic import ChangedOnDisk, DeferInterrupt, NotWritten, write_atomically
    failed = _errors_to_stderr(results, missing, args.quiet)
    if args.commit:
        if not args.quiet:
            _report_left_alone(results, options.include_review)
        commits, commit_failed = _commit_changes(args, options, [r for r in results if r.status is Status.CHANGED])
        if not args.quiet:
            from codemod.files import vcs
            where = vcs.current_branch(args.git_root) or "a detached HEAD"
            print(f"made {len(commits)} commit{'s' if len(commits) != 1 else ''} on {where}", file=sys.stderr)
        return EXIT_ERROR if failed or commit_failed else EXIT_OK
    if args.interactive:
        from codemod.output import interactive
        *_, write_failed, status = interactive.run(results, options, colour=args.color)
        if status:
            return status
        return EXIT_ERROR if failed or write_failed else EXIT_OK
    if not args.quiet:
        _report_left_alone(results, options.include_review)
    changed = [r for r in results if r.status is Status.CHANGED]
    written = 0
    with DeferInterrupt() as interrupt:
        for r in changed:
            if interrupt.requested:
                break
            try:
                write_atomically(r.path, r.new, r.original)
                written += 1
            except (ChangedOnDisk, NotWritten, OSError) as exc:
                print(f"vfork-codemod: {display.path(r.path)}: {display.text(_why(exc))}", file=sys.stderr)
                failed = True
    if interrupt.requested:
        import signal
        why = "interrupted" if interrupt.signum == signal.SIGINT else \
            f"stopped by {signal.Signals(interrupt.signum).name}"
        print(f"vfork-codemod: {why}: rewrote {written} of {len(changed)} files completely; "
              "the others are untouched", file=sys.stderr)
        return interrupt.status
    if not args.quiet:
        print(f"rewrote {written} of {len(changed)} files", file=sys.stderr)
    return EXIT_ERROR if failed else EXIT_OK


def _review(args, options, run: Run) -> int:
    from codemod.output.patches import write_patches
    failed = _errors_to_stderr(run.results, run.missing, args.quiet)
    try:
        entries = write_patches(run.results, args.out, args.all)
    except OutputError as exc:
        print(f"vfork-codemod: {exc}", file=sys.stderr)
        return EXIT_ERROR
    written = sum(1 for e in entries if e["patch"])
    if not args.quiet:
        print(f"wrote {written} patches and an index to {display.path(args.out)}", file=sys.stderr)
    return EXIT_ERROR if failed else EXIT_OK


def _rule(args) -> int:
    from codemod.core.kinds import KINDS
    from codemod.output import rules
    if args.all or not args.rule:
        sys.stdout.write(rules.listing())
        return EXIT_OK
    if args.rule not in KINDS:
        import difflib
        near = difflib.get_close_matches(args.rule, list(KINDS), n=1)
        hint = f" (did you mean {near[0]}?)" if near else ""
        print(f"vfork-codemod: unknown rule {display.text(args.rule)!r}{hint}; `vfork-codemod rule --all` "
              "lists them", file=sys.stderr)
        return EXIT_ERROR
    sys.stdout.write(rules.explain(args.rule))
    return EXIT_OK


def _signal_name(exc: BaseException) -> str:
    import signal
    if isinstance(exc, KeyboardInterrupt):
        return "interrupted"
    return f"stopped by {signal.Signals(exc.signum).name}"


def _signal_status(exc: BaseException) -> int:
    return EXIT_INTERRUPTED if isinstance(exc, KeyboardInterrupt) else 128 + exc.signum


def _stale_notes(stale: list, remove: bool, quiet: bool = False) -> None:
    """Temporary files a killed run left: `apply` removes them, the other
    commands say they are there."""
    for path, shown, pid in stale:       # codemod.files.walk.Stale
        if remove:
            try:
                os.unlink(path)
                print(f"vfork-codemod: {display.path(shown)}: note: removed a temporary file left by an "
                      f"interrupted run (pid {pid})", file=sys.stderr)
            except OSError as exc:
                print(f"vfork-codemod: {display.path(shown)}: cannot remove a temporary file left by an "
                      f"interrupted run ({exc.strerror})", file=sys.stderr)
        elif not quiet:
            print(f"vfork-codemod: {display.path(shown)}: note: a temporary file left by an interrupted run "
                  f"(pid {pid}); `vfork-codemod apply` removes it", file=sys.stderr)


def _why(exc: Exception) -> str:
    """An OSError's reason without the file name (the caller names the file)."""
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return str(exc)


COMMANDS = {"scan": _scan, "diff": _diff, "apply": _apply, "review": _review}
