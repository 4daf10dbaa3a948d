"""What a reviewer must decide for each kind of review reason, and the usual
safe fix.  Matched against the reason texts the engines write; the tests
pin one reason of each kind."""
from __future__ import annotations

import re

from codemod.core.model import Finding, Verdict

_ADVICE = [
    (r"errno, which the child shares|exec_errno|writes `[^`]+`, declared outside|which the parent also uses"
     r"|an object shared with the parent",
     "Decide whether the parent reads that memory after the child runs. Under vfork it sees the child's "
     "store; after fork or posix_spawn it does not.",
     "To hand an exec error back, open a pipe with O_CLOEXEC before forking; the child writes errno to "
     "it after a failed exec and _exits; the parent reads zero bytes when the exec succeeded (CPython's "
     "_posixsubprocess does this). Other hand-offs need the same: a pipe, or shared memory set up on purpose."),
    (r"is not a function the tool knows|function pointer|defines or runs code",
     "Read that function (or macro): does it write memory the parent uses, take locks, allocate, or "
     "return into code that does?",
     "If it only makes system calls on the child's own state, list it under `safe-functions` in "
     "[tool.vfork-codemod] and run the tool again; if it execs or exits, list it under `exec-wrappers`."),
    (r"stdio buffers|sys.stdout buffer",
     "Output written through stdio in the child lands in the parent's buffer under vfork and is lost "
     "(or doubled) under fork.",
     "Write diagnostics with write(2, ...) or to stderr, or fflush(stdout) in the parent before vfork."),
    (r"environ",
     "The child changes the environment the parent also uses.",
     "Build the child's environment as an array and pass it to execve/execle (envp), or to "
     "posix_spawn's envp argument, instead of calling setenv/putenv in the child."),
    (r"allocator state",
     "The child allocates or frees memory in the parent's heap.",
     "Prepare every buffer in the parent before vfork; the child should only make system calls."),
    (r"returns from|leaves the child|`break` leaves|`continue` leaves|fall out|falls out|runs on in the parent"
     r"|reaches the end",
     "Some path of the child does not end in exec or _exit: under vfork it returns into the parent's "
     "frames, under fork it runs a second copy of the program.",
     "End every child path with _exit(127) (os._exit(127) in Python) after the exec."),
    (r"vfork result is returned|vfork wrapper",
     "A function returns the vfork result, so the child runs on in every caller.",
     "Move the child's work into the wrapper (exec there and _exit), or replace the wrapper by a helper "
     "that calls posix_spawn with the caller's arguments."),
    (r"passed to|discarded|used in|stored by|stored in|combined by",
     "The vfork result is not kept in a variable the tool can follow.",
     "Store it in a pid_t variable and test it with `if (pid == 0)` right away."),
    (r"splits the child region|depends on the configuration|#if",
     "The child region differs between build configurations.",
     "Move the conditional code out of the child (compute values before vfork), or rewrite each "
     "configuration by hand."),
    (r"could not be parsed|ERROR region|could not parse|does not parse as C",
     "tree-sitter could not parse the code around the site, usually because of a macro.",
     "Expand the macro by hand (or compile with -E to see it) so the child region is plain C."),
    (r"cannot tell whether|taken by the child and",
     "The tool cannot tell which code only the child runs.",
     "Test the pid on its own: `if (pid == 0) { ... }`, with the failure and parent cases separate."),
]


def advice(finding: Finding) -> list:
    """(decision, usual fix) pairs for the finding's reasons, in order, each once."""
    out = []
    for reason in finding.reasons:
        for pattern, decide, fix in _ADVICE:
            if re.search(pattern, reason.text) and (decide, fix) not in out:
                out.append((decide, fix))
                break
    if not out and finding.verdict is Verdict.REVIEW:
        out.append(("Read the child region and decide whether it only execs or exits.",
                    "Reduce it to set-up, one exec and _exit."))
    return out
