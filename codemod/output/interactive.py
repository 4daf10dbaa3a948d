"""`vfork-codemod apply --interactive`: decide change by change, as with `git add -p`."""
from __future__ import annotations

import sys

from codemod.output import color
from codemod.core import display
from codemod.core.diffs import unified
from codemod.files.atomic import ChangedOnDisk, DeferInterrupt, NotWritten, Stopped, write_atomically
from codemod.core.model import Verdict, applies

KEYS = "y,n,a,d,A,q,?"
HELP = """y - apply this change
n - do not apply this change (also: Enter)
a - apply this change and all later changes in this file
d - do not apply this change nor any later change in this file
A - apply this change and every remaining change, in all files
q - quit; changes accepted so far are written
? - print help
"""


def prompt(position: int, total: int) -> str:
    """`(3/7) Apply this change [y,n,a,d,A,q,?]? `, as `git add -p` asks."""
    return f"({position}/{total}) Apply this change [{KEYS}]? "


def offered(result, include_review: bool) -> list:
    return [f for f in result.findings if applies(f, include_review)]


def run(results: list, options, out=sys.stdout, inp=sys.stdin, colour: str = "auto") -> tuple:
    """Ask about every change; write each file once.  Returns (applied,
    offered, files, failed, status): ``status`` is the exit status when a
    signal (Ctrl-C, SIGTERM, SIGHUP) ended the session, else 0."""
    on = color.enabled(out, colour)
    include_review = options.include_review
    total = sum(len(offered(r, include_review)) for r in results)
    counts = {"applied": 0, "files": 0, "position": 0, "total": total}
    failed = False
    _left_for_review(results, include_review, out, on)
    try:
        failed = _session(results, out, inp, on, include_review, counts)
    except (KeyboardInterrupt, Stopped) as exc:
        import signal
        status = 130 if isinstance(exc, KeyboardInterrupt) else 128 + exc.signum
        why = "Interrupted" if status == 130 else f"Stopped by {signal.Signals(status - 128).name}"
        print(f"\n{why}: applied {counts['applied']} of {total} changes in {_files(counts['files'])}; "
              "nothing else was written", file=out)
        return counts["applied"], total, counts["files"], True, status
    print(f"Applied {counts['applied']} of {total} changes in {_files(counts['files'])}", file=out)
    return counts["applied"], total, counts["files"], failed, 0


def _files(n: int) -> str:
    return f"{n} file{'s' if n != 1 else ''}"


def _left_for_review(results: list, include_review: bool, out, on: bool) -> None:
    """Before the first question: the sites no question will be about."""
    left = [f for r in results for f in r.findings
            if f.verdict is Verdict.REVIEW and not f.suppressed and not applies(f, include_review)]
    if not left:
        return
    print(color.paint(f"Left for review ({len(left)}; `vfork-codemod review` writes a patch for each):",
                      "review", on), file=out)
    for f in left:
        print(f"  {display.path(f.path)}:{f.line}:{f.column}: {display.text(f.message)}", file=out)
    print(file=out)


def _session(results, out, inp, on, include_review, counts) -> bool:
    failed = False
    accept_everything = quit_now = False
    for r in results:
        changes = offered(r, include_review)
        if not changes:
            continue
        accepted = []
        rest_of_file = False
        first = counts["position"]
        for f in changes:
            counts["position"] += 1       # this change's place among all of them
            if accept_everything or rest_of_file:
                accepted.append(f)
                continue
            answer = _ask(r, f, on, out, inp, counts["position"], counts["total"])
            if answer == "y":
                accepted.append(f)
            elif answer == "a":
                accepted.append(f)
                rest_of_file = True
            elif answer == "A":
                accepted.append(f)
                accept_everything = True
            elif answer == "d":
                break
            elif answer == "q":
                quit_now = True
                break
        counts["position"] = first + len(changes)    # `d` and `q` pass over the rest of the file
        if accepted:
            new = r.render(accepted)
            with DeferInterrupt() as interrupt:      # a file being written is finished first
                try:
                    if new is None:
                        raise OSError("the combined rewrite did not verify; file left unchanged")
                    write_atomically(r.path, new, r.original)
                    counts["applied"] += len(accepted)
                    counts["files"] += 1
                except (ChangedOnDisk, NotWritten, OSError) as exc:
                    why = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
                    print(f"vfork-codemod: {display.path(r.path)}: {display.text(why)}", file=sys.stderr)
                    failed = True
            if interrupt.requested:
                if interrupt.signum == 2:
                    raise KeyboardInterrupt
                raise Stopped(interrupt.signum)
        if quit_now:
            break
    return failed


def _ask(result, f, on: bool, out, inp, position: int, total: int) -> str:
    new = result.render([f])
    label = f.verdict.value.upper() if f.verdict is Verdict.REVIEW else f.verdict.value
    head = f"{display.path(f.path)}:{f.line}:{f.column}: {label}: {display.text(f.message)}"
    print(color.paint(head, f.verdict.value, on), file=out)
    if f.verdict is Verdict.REVIEW:
        print(color.paint("  REVIEW SITE: the tool could not prove this rewrite safe", "review", on), file=out)
    for reason in f.reasons:
        print(color.paint(f"  {display.text(str(reason))}", "dim", on), file=out)
    if new is not None:
        patch = unified(f.path, result.original, new).decode("utf-8", "surrogateescape")
        shown = "\n".join(display.line(ln) for ln in patch.rstrip("\n").split("\n"))
        print(color.diff(shown, on), file=out)
    while True:
        out.write(color.paint(prompt(position, total), "head", on))
        out.flush()
        line = inp.readline()
        if not line:
            out.write("\n")
            return "q"
        answer = line.strip()[:1]
        if not answer:
            return "n"          # Enter: the safe answer, as Bowler's default
        if answer in ("y", "n", "a", "d", "A", "q"):
            return answer
        if answer in ("Y", "N", "D", "Q"):
            return answer.lower()
        out.write(HELP)
