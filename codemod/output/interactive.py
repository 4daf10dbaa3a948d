"""`vfork-codemod apply --interactive`: decide change by change, as with `git add -p`."""
from __future__ import annotations

import sys

from codemod.output import color
from codemod.core import display
from codemod.core.diffs import unified
from codemod.files.atomic import ChangedOnDisk, DeferInterrupt, NotWritten, Stopped, write_atomically
from codemod.core.model import Verdict, applies

PROMPT = "Apply this change [y,n,a,d,q,?] "
HELP = """y - apply this change
n - do not apply this change
a - apply this change and all remaining changes
d - do not apply this change nor any remaining change in this file
q - quit; changes accepted so far are written
? - print help
"""


def offered(result, include_review: bool) -> list:
    return [f for f in result.findings if applies(f, include_review)]


def run(results: list, options, out=sys.stdout, inp=sys.stdin, colour: str = "auto") -> tuple:
    """Ask about every change; write each file once.  Returns (applied,
    offered, files, failed, status): ``status`` is the exit status when a
    signal (Ctrl-C, SIGTERM, SIGHUP) ended the session, else 0."""
    on = color.enabled(out, colour)
    include_review = options.include_review
    total = sum(len(offered(r, include_review)) for r in results)
    counts = {"applied": 0, "files": 0}
    failed = False
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


def _session(results, out, inp, on, include_review, counts) -> bool:
    failed = False
    accept_all = quit_now = False
    for r in results:
        changes = offered(r, include_review)
        if not changes:
            continue
        accepted = []
        for f in changes:
            if accept_all:
                accepted.append(f)
                continue
            answer = _ask(r, f, on, out, inp)
            if answer == "y":
                accepted.append(f)
            elif answer == "a":
                accepted.append(f)
                accept_all = True
            elif answer == "d":
                break
            elif answer == "q":
                quit_now = True
                break
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


def _ask(result, f, on: bool, out, inp) -> str:
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
        out.write(color.paint(PROMPT, "head", on))
        out.flush()
        line = inp.readline()
        if not line:
            out.write("\n")
            return "q"
        answer = line.strip().lower()[:1]
        if answer in ("y", "n", "a", "d", "q"):
            return answer
        out.write(HELP)
