"""The catalogue of reasons: every kind of fact behind a verdict, its message
template (per language where the wording differs) and the advice a
reviewer gets for it.

Engines make reasons with :func:`reason` (or a :class:`For` bound to their
language), never by writing sentences of their own: a reworded template
keeps its advice, and JSON and SARIF carry the kind.  Adding a kind is one
entry in :data:`KINDS`.
"""
from __future__ import annotations

from typing import NamedTuple, Optional

from codemod.core.kinds import ROWS
from codemod.core.model import Finding, Reason, Verdict


class Advice(NamedTuple):
    decide: str     # what the reviewer must decide
    fix: str        # the usual safe fix


ADVICE = {
    "shared-memory": Advice(
        "Decide whether the parent reads that memory after the child runs. Under vfork it sees the child's "
        "store; after fork or posix_spawn it does not.",
        "When the child only stores errno or a constant after a failed exec, `vfork-codemod apply` rewrites "
        "it to fork with a close-on-exec pipe that carries the values (CPython's _posixsubprocess does this). "
        "Other hand-offs need the same by hand: a pipe, or shared memory set up on purpose."),
    "handoff": Advice(
        "The values the child stored for the parent now travel through a close-on-exec pipe, which the "
        "parent reads to the end before it goes on, as vfork made it wait.",
        "Nothing to do in a single-threaded program. In a threaded one, another thread that forks while "
        "the pipe is open keeps its write end until that child execs or exits, and the parent waits that long."),
    "unknown-code": Advice(
        "Read that function (or macro): does it write memory the parent uses, take locks, allocate, or "
        "return into code that does?",
        "If it only makes system calls on the child's own state, list it under `safe-functions` in "
        "[tool.vfork-codemod] and run the tool again; if it execs or exits, list it under `exec-wrappers`."),
    "stdio": Advice(
        "Output written through stdio in the child lands in the parent's buffer under vfork and is lost "
        "(or doubled) under fork.",
        "Write diagnostics with write(2, ...) or to stderr, or fflush(stdout) in the parent before vfork."),
    "environ": Advice(
        "The child changes the environment the parent also uses.",
        "Build the child's environment as an array and pass it to execve/execle (envp), or to "
        "posix_spawn's envp argument, instead of calling setenv/putenv in the child."),
    "library-state": Advice(
        "The child changes state the C library keeps for the whole process (syslog's connection to the "
        "log): under vfork that state is the parent's.",
        "Open the log in the parent before vfork (openlog with LOG_NDELAY), or report from the parent."),
    "heap": Advice(
        "The child allocates or frees memory in the parent's heap.",
        "Prepare every buffer in the parent before vfork; the child should only make system calls."),
    "leaves": Advice(
        "Some path of the child does not end in exec or _exit: under vfork it returns into the parent's "
        "frames, under fork it runs a second copy of the program.",
        "End every child path with _exit(127) (os._exit(127) in Python) after the exec."),
    "wrapper": Advice(
        "A function returns the vfork result, so the child runs on in every caller.",
        "Move the child's work into the wrapper (exec there and _exit), or replace the wrapper by a helper "
        "that calls posix_spawn with the caller's arguments."),
    "untracked-result": Advice(
        "The vfork result is not kept in a variable the tool can follow.",
        "Store it in a pid_t variable and test it with `if (pid == 0)` right away."),
    "configuration": Advice(
        "The child region differs between build configurations.",
        "Move the conditional code out of the child (compute values before vfork), or rewrite each "
        "configuration by hand."),
    "unparsable": Advice(
        "tree-sitter could not parse the code around the site, usually because of a macro.",
        "Expand the macro by hand (or compile with -E to see it) so the child region is plain C."),
    "old-c": Advice(
        "An old-style definition has no return type: the tool reads it with one added, which moves the "
        "code next to it in its parse, and it will not place edits there.",
        "Give the function its return type (`int preserve()`), then run the tool again."),
    "ambiguous": Advice(
        "The tool cannot tell which code only the child runs.",
        "Test the pid on its own: `if (pid == 0) { ... }`, with the failure and parent cases separate."),
}
ADVICE["project-code"] = Advice(
    "Read the helper at the place named: the child may call it only if it writes nothing the parent reads "
    "and never returns into the parent's frames.",
    "Give the child its own copy of what the helper does (system calls only), or list the helper under "
    "`safe-functions` in [tool.vfork-codemod] if the write does not matter to the parent.")
FALLBACK = Advice("Read the child region and decide whether it only execs or exits.",
                  "Reduce it to set-up, one exec and _exit.")


class Kind(NamedTuple):
    template: object               # str, or {language: str}
    advice: Optional[str] = None   # key of ADVICE


def _k(template, advice: Optional[str] = None) -> Kind:
    return Kind(template, advice)


# What a fork proposal would break, in a few words, by advice key (the
# subject of an [RFC] review patch); fields come from the reason's own.
BREAKS = {
    "shared-memory": ("parent reads {name}", "parent reads memory the child writes"),
    "unknown-code": ("calls {name}() the tool does not know", "calls code the tool does not know"),
    "stdio": ("{name}() writes stdio buffers", "writes stdio buffers"),
    "environ": ("{name}() changes the environment", "changes the environment"),
    "heap": ("{name}() allocates", "allocates"),
    "library-state": ("{name}() changes C library state", "changes C library state"),
    "leaves": ("child can leave its region", "child can leave its region"),
    "wrapper": ("vfork wrapper", "vfork wrapper"),
    "untracked-result": ("vfork result not followed", "vfork result not followed"),
    "configuration": ("depends on the configuration", "depends on the configuration"),
    "unparsable": ("code tree-sitter cannot parse", "code tree-sitter cannot parse"),
    "old-c": ("old-style definition header", "old-style definition header"),
    "ambiguous": ("unclear child region", "unclear child region"),
    "handoff": ("parent reads {name}", "parent reads memory the child writes"),
    "project-code": ("{name}() writes shared memory", "project code writes shared memory"),
}


_SPAWN = {"c": "posix_spawn", "python": "os.posix_spawn"}

KINDS = {
    # -- where the site is and how its result is kept ------------------------
    "site-in-error": _k("the call is inside code tree-sitter could not parse (ERROR region); macros or a "
                        "dialect it cannot see through hide its structure", "unparsable"),
    "site-outside-function": _k("vfork called outside a function body"),
    "knr-moved": _k("the old-style definition header at line {header} was read with a type added before its "
                    "name, which moves lines {first}-{last} a few bytes in the parse; this rewrite edits there "
                    "and its edits could not be placed exactly", "old-c"),
    "result-combined": _k("vfork result combined by `{op}`", "untracked-result"),
    "result-impure": _k("vfork result stored in `{target}`, which has side effects", "untracked-result"),
    "result-used-inside": _k("vfork result used inside `{holder}`; the tool does not follow it",
                             "untracked-result"),
    "result-stored-in": _k("vfork result stored in `{target}`", "untracked-result"),
    "result-stored-by": _k("the vfork result is stored by `{stmt}`; the tool does not follow it",
                           "untracked-result"),
    "result-returned": _k({"c": "the vfork result is returned: the child runs on in the caller of {function} "
                                "after this function returns (a vfork wrapper)",
                           "python": "the vfork result is returned: the child runs on in the caller "
                                     "(a vfork wrapper)"}, "wrapper"),
    "result-passed": _k({"c": "the vfork result is passed to `{call}`; the child runs in that callee",
                         "python": "the vfork result is passed to another call; the child runs in that callee"},
                        "untracked-result"),
    "result-discarded": _k("the vfork result is discarded: nothing tells the child from the parent",
                           "untracked-result"),
    "result-used-in": _k("the vfork result is used in `{expr}`; the tool does not follow it", "untracked-result"),
    "no-pid": _k({"c": "no variable receives the vfork result, so there is no pid for posix_spawn to fill in",
                  "python": "no variable receives the vfork result, so there is no pid for os.posix_spawn "
                            "to return to"}),
    "no-failure-check": _k("nothing tests `{result}` for failure (`< 0`, `== -1`): a failed posix_spawn would go "
                           "unnoticed, where the vfork child exits with a status"),
    # -- delimiting the child region --------------------------------------------
    "region-undelimited": _k({"c": "the child region could not be delimited",
                              "python": "the child branch could not be delimited"}),
    "retry-loop-unclear": _k("cannot tell whether the child leaves the retry loop", "ambiguous"),
    "conditional-other-arm": _k("the vfork result comes from `{expr}`, whose other arm `{arm}` is not a fork the "
                                "tool knows: in its runs a zero result is no child", "untracked-result"),
    "conditional-fork": _k("vfork is one arm of `{expr}` whose other arm forks: posix_spawn would replace both, "
                           "so only the vfork arm changes (to fork)"),
    "repeated-store": _k("`{stmt}` runs in both processes before they part; the parent's store replaces the "
                         "child's under vfork, so it stays where it is for both (fork; posix_spawn would run it "
                         "in the parent only, after the child's set-up was taken)"),
    "repeated-call": _k("`{stmt}` runs in both processes before they part; it changes only what each process "
                        "has its own of (descriptors, signal state), and each runs it under vfork too, so it "
                        "stays where it is for both (fork; posix_spawn would run it in the parent only)"),
    "retry-loop": _k("retry loop around vfork: posix_spawn cannot sit in a loop condition"),
    "retry-break": _k("retry loop around vfork, left by `break` once it succeeds: posix_spawn would have to be "
                      "retried the same way"),
    "fallthrough": _k("the child is reached by falling through after the parent's branches"),
    "preproc-before-branch": _k("`{stmt}` between vfork and the child's branch: the region depends on the "
                                "configuration", "configuration"),
    "preproc-shared-region": _k("vfork sits in one branch of `{directive}`; the child region after it is shared "
                                "with the other branch", "configuration"),
    "runs-in-both": _k("`{stmt}` runs in both the child and the parent before they part"),
    "block-end-reached": _k({"c": "the child reaches the end of the enclosing block without exec or _exit",
                             "python": "the child reaches the end of the block without exec or os._exit"},
                            "leaves"),
    "branch-unclear": _k("cannot tell whether the child takes `if {condition}`", "ambiguous"),
    "branch-shared": _k("the branch at line {at} is taken by the child and on {others} too", "ambiguous"),
    "else-shared": _k({"c": "the else branch at line {at} is taken by the child and on {others} too",
                       "python": "the else branch is taken by the child and on {others} too"}, "ambiguous"),
    "case-shared": _k("`case 0:` shares its statements with the next label"),
    "case-fallthrough": _k("the case before `case 0:` falls through into the child"),
    "failure-runs-child": _k("the failure case falls into `case 0:`: when vfork fails the parent runs the child's "
                             "code itself, as it will when fork fails; posix_spawn has no such code to run"),
    "failure-runs-exit": _k("`{stmt}` becomes _exit() in the child, but the parent runs it too when vfork fails "
                            "(the failure case at line {case} falls into `case 0:`): it would lose its stdio "
                            "buffers and atexit handlers there"),
    "failure-runs-handoff": _k("`{stmt}` would send its value through the hand-off pipe, but the parent runs it "
                               "too when vfork fails (the failure case at line {case} falls into `case 0:`), "
                               "with no pipe"),
    "switch-no-child": _k("the switch on the vfork result has no `case 0:` for the child"),
    # -- what the child does -----------------------------------------------------
    "missing-node": _k("`{code}` does not parse as C: tree-sitter had to assume a missing `{missing}` (often a macro "
                       "it cannot see through)", "unparsable"),
    "error-node": _k("`{code}` could not be parsed (a tree-sitter ERROR region, often a macro it cannot see "
                     "through)", "unparsable"),
    "configurations-proven": _k("fork-safe in every configuration of the `#if`s around it where this vfork is "
                                "compiled ({configs}){elsewhere}", "configuration"),
    "read-alone": _k("its function read on its own (lines {start}-{end}), apart from the ERROR region tree-sitter "
                     "made around it"),
    "configuration-needs-review": _k("with {config}: {why}", "configuration"),
    "configurations-complex": _k("an `#if` around it compares or computes with names; the tool enumerates only "
                                 "conditions on whether names are defined or true", "configuration"),
    "configurations-too-many": _k("the `#if`s around it allow {n} configurations, more than the {most} the tool "
                                  "analyses", "configuration"),
    "configurations-handoff": _k("a configuration hands values to the parent (the exec-error pipe): not combined "
                                 "across configurations", "configuration"),
    "configurations-conflict": _k("the configurations would need overlapping edits", "configuration"),
    "configured-branch": _k("`{directive}` in the child is decided only by the configuration given ({flags}): "
                            "the child of the other configurations is not analysed", "configuration"),
    "preproc-in-child": _k("`{directive}` splits the child region: each configuration may run different code",
                           "configuration"),
    "returns": _k({"c": "`{stmt}` returns from the function: under vfork the child unwinds the parent's stack frame",
                   "python": "`{stmt}` leaves the child branch: the child would run on in the parent's code"},
                  "leaves"),
    "leaves-region": _k({"c": "`{stmt}` leaves the child region", "python": "`{stmt}` leaves the child branch"},
                        "leaves"),
    "falls-out": _k({"c": "the child can run past `{last}` and fall out of its region (every path must end in "
                          "exec failure handling with _exit)",
                     "python": "the child can run past the end of its branch (every path must end in os._exit)"},
                    "leaves"),
    "shared-write": _k({"c": "`{stmt}` {via}writes {target}: under vfork the parent sees this store, under fork or "
                             "posix_spawn it does not",
                        "python": "`{stmt}` assigns to `{name}`, which the parent also uses: under vfork it sees "
                                  "the store, after the rewrite it would not"}, "shared-memory"),
    "rerun-write": _k("`{stmt}` {via}writes {target}, which only the child mentions, but the function can run the "
                      "child region again ({how}): under vfork a later child starts from this store, under fork or "
                      "posix_spawn from the parent's value", "shared-memory"),
    "shared-object-write": _k("`{stmt}` writes `{target}`, an object shared with the parent", "shared-memory"),
    # Writes the old advice table did not recognise; kept without advice so
    # that review patches stay as they were (adding it is one word here).
    "static-write": _k("`{stmt}` {via}writes `{name}`, a static variable the parent shares: under vfork the parent "
                       "sees this store, under fork or posix_spawn it does not"),
    "pointer-write": _k("`{stmt}` {via}writes {target}: under vfork the parent sees this store, under fork or "
                        "posix_spawn it does not"),
    "pointer-arg-write": _k("`{call}` writes through argument {n}, `{arg}`, into memory the tool cannot place "
                            "inside the child region"),
    "function-pointer": _k("`{call}` calls through a function pointer the tool cannot follow", "unknown-code"),
    "spawns-again": _k("`{name}` called again inside the child"),
    "unknown-function": _k({"c": "`{name}()` is not a function the tool knows: it may write memory the parent "
                                 "shares, or be a macro",
                            "python": "`{name}()` is not a function the tool knows: it may write memory the parent "
                                      "shares"}, "unknown-code"),
    "unanalysed-code": _k("`{code}` defines or runs code the tool does not analyse in a child", "unknown-code"),
    "unanalysed-statement": _k("`{code}` is not something the tool analyses in a child"),
    "imports": _k("`{code}` changes sys.modules, shared with the parent"),
    "rebinds": _k("`{code}` changes names the parent can see"),
    "writes-stdio": _k("`{name}()` writes {what}", "stdio"),
    "writes-syslog": _k("`{name}()` writes {what}", "library-state"),
    "writes-heap": _k("`{name}()` writes {what}", "heap"),
    "writes-environ": _k("`{name}()` writes {what}", "environ"),
    "writes-stack": _k("`{name}()` writes {what}"),
    "stdio-stream": _k("`{name}()` on `{stream}` writes the stdio buffers shared with the parent", "stdio"),
    "escapes": _k("`{name}()` leaves the child region", "leaves"),
    # -- the exec-error hand-off (codemod.engines.c.rewrite.handoff) ---------
    "handoff": _k("`{stmt}` hands `{name}` to the parent after a failed exec: posix_spawn cannot; under fork "
                  "a close-on-exec pipe carries it", "handoff"),
    "handoff-undeclared": _k("`{stmt}` hands `{name}` to the parent, whose declaration is not in this file: "
                             "the pipe rewrite needs its type", "shared-memory"),
    "handoff-register": _k("`{stmt}` hands `{name}` to the parent, but `{name}` is `register`: the pipe rewrite "
                           "needs its address", "shared-memory"),
    "handoff-type": _k("`{stmt}` hands `{name}` to the parent, whose type `{type}` is not an integer type the tool "
                       "knows: the pipe carries integers", "shared-memory"),
    # -- beyond posix_spawn (fork instead) -----------------------------------
    "loop": _k({"c": "loop `{head}`: posix_spawn runs no code in the child",
                "python": "loop over `{head}`: os.posix_spawn runs no code in the child"}),
    "condition": _k({"c": "condition `{head}`: posix_spawn runs no code in the child",
                     "python": "condition `if {head}`: os.posix_spawn runs no code in the child"}),
    "switch": _k("`{head}`: posix_spawn runs no code in the child"),
    "with-block": _k("`with` block: os.posix_spawn runs no code in the child"),
    "exec-wrapper": _k("`{name}()` is a project exec wrapper (configuration): {spawn} cannot call it"),
    "no-spawn-equivalent": _k("`{code}` has no {spawn} equivalent"),
    "does-not-exec": _k("the child does not exec: {spawn} always does"),
    "computed-in-child": _k("`{name}` is computed in the child and used by exec"),
    "not-setup": _k("`{code}` is not {spawn} set-up"),
    "side-effect-arguments": _k("`{code}` has arguments with side effects"),
    "open-not-repeatable": _k({"c": "`{code}` is not an open posix_spawn can repeat",
                               "python": "`{code}` is not an os.open os.posix_spawn can repeat"}),
    "descriptor-unknown": _k("`{code}` names a descriptor the tool cannot follow"),
    "open-not-kept": _k("`open` whose descriptor is not kept in a variable, moved with dup2 and closed"),
    "descriptors-inexact": _k("{detail}"),     # worded by codemod.engines.proofs.descriptors
    "session-inexact": _k("{detail}"),         # worded by codemod.engines.proofs.sessions
    "setpgid-other": _k("`{code}` sets the group of a process other than the child"),
    "setpgrp-bsd": _k("`{code}` (the BSD form) has no posix_spawn equivalent"),
    "signal-not-default": _k("`{code}`: posix_spawn can only reset signals to SIG_DFL"),
    "sigaction-unproven": _k("`{code}` is not a reset to SIG_DFL the tool can prove"),
    "sigprocmask-form": _k("`{code}`: posix_spawn can only set the whole mask (SIG_SETMASK) from a set the "
                           "parent built"),
    "target-posix": _k("`{code}` needs {what}, not in POSIX.1-2008 (--target posix)"),
    "needs-gnu-source": _k("`{code}` needs {what} ({since}), which glibc declares only when _GNU_SOURCE is defined "
                           "before the first #include"),
    "chdir-unchecked": _k("`{code}` can fail at run time (a missing directory, permissions); the child ignores "
                          "that and execs anyway in the old directory, where posix_spawn would fail the whole "
                          "spawn (check it, `if (chdir(...) < 0) _exit(127);`, to allow posix_spawn)"),
    "setsid-after-open": _k("`setsid()` after `open`: posix_spawn would start the session before opening, which "
                            "changes the controlling terminal"),
    "exec-argument-side-effects": _k("argument `{arg}` of {name}() has side effects"),
    "execvp-shell-fallback": _k("`{name}()` runs a file without `#!` through /bin/sh when the kernel cannot execute "
                                "it (ENOEXEC); glibc's posix_spawnp does not, so such a program would not start "
                                "(`--spawnp` accepts this difference)"),
    "exec-list-unterminated": _k("the argument list of {name}() does not end in a null pointer the tool "
                                 "recognises"),
    "exec-argument-count": _k({"c": "{name}() called with {n} arguments",
                               "python": "`{name}` called with {n} arguments"}),
    "exec-arguments-unplain": _k("the arguments of `{name}` are not plain expressions"),
    "exec-arguments-unpacked": _k("`{name}` is called with unpacked arguments"),
    "exec-path-environment": _k("`{name}()` looks the program up in the PATH of the environment it is given; "
                                "os.posix_spawnp uses the caller's PATH, which can differ", "environ"),
    "exec-without-path": _k("`{name}` without a path"),
    "tail-not-failure": _k({"c": "`{code}` after exec is more than a failure tail (diagnostics to stderr, "
                                 "then _exit)",
                            "python": "`{code}` after exec is more than a failure tail"}),
    "tail-says-something": _k({"c": "`{code}` tells why exec failed; a failed posix_spawn returns the error to "
                                    "the parent instead, so fork keeps the message and the exit status",
                               "python": "`{code}` tells why exec failed; a failed os.posix_spawn raises in the "
                                         "parent instead, so fork keeps the message and the exit status"}),
    "setup-failure-says-something": _k("`{code}` tells why {name}() failed; a failed posix_spawn returns the "
                                       "error to the parent instead, so fork keeps the message and the exit status"),
    "try-around-exec": _k("the `try` around exec does more than report the failure"),
    # -- where the spawn code cannot be placed ---------------------------------
    "pid-const": _k("`{name}` is const: it cannot be filled in after its declaration"),
    "no-statement-after": _k("no statement after the declaration to place posix_spawn before"),
    "not-own-statement": _k("`{stmt}` is not a statement of its own line and block"),
    "declared-after-vfork": _k("`{decl}` is declared after vfork and used by exec"),
    "condition-not-own-line": _k("the statement holding vfork does not start its own line in a block "
                                 "(an `else if`?)"),
    "opens-function-end": _k("removing the child's branch would let control reach the end of {function}() "
                             "(today every branch leaves)"),
    "stranded": _k("`{name}` (line {at}) is used only by the child: removing the child would leave it unused"),
    "fix-overlaps": _k("not rewritten: its edits overlap another site's rewrite"),
    "more-reasons": _k("and {n:,} more reasons of these kinds: {kinds} (a finding lists at most {most}; "
                       "the budget of reasons)"),
    # -- what a rewrite does ---------------------------------------------------
    "spawn-action": _k("{detail}"),            # one set-up step and its posix_spawn form
    "left-out": _k("`{stmt}` does nothing (a descriptor duplicated onto itself): left out"),
    "session-left-out": _k("{detail}"),        # worded by codemod.engines.proofs.sessions
    "exec-becomes": _k({"c": "`{name}` becomes {spawn}", "python": "the exec becomes os.{spawn}"}),
    "exec-failure-changes": _k({"c": "a failed exec now sets errno and `{result} = -1` instead of exit status 127",
                                "python": "a failed exec now raises OSError at the spawn{caught}"}),
    "err-becomes-warn": _k("`{name}(...)` becomes `({warn}(...), _exit({status}))`: the same message, without the "
                           "exit() that would flush copies of the parent's stdio buffers", "stdio"),
    "exit-becomes-_exit": _k("`exit` becomes `_exit`: after fork, exit would flush copies of the parent's stdio "
                             "buffers", "stdio"),
    # -- project code (the project index) ------------------------------------
    "helper-unsafe": _k("`{name}()` ({where}) {why}", "project-code"),
    "helper-ambiguous": _k("`{name}` is defined more than once in the tree, differently ({where}, {others}): "
                           "the tool cannot tell which one is called", "project-code"),
    "helper-no-body": _k("`{name}()` {what} at {where}, but its body is not in the analysed tree (add its folder "
                         "with --include-dir): what it writes is unknown", "unknown-code"),
    "helper-macro-value": _k("macro `{name}` ({where}) expands to `{body}`, which the tool cannot follow",
                             "unknown-code"),
    "helper-macro-unreadable": _k("macro `{name}()` ({where}) cannot be analysed: {why}", "unknown-code"),
    "index-budget": _k("`{name}()` was not looked up: {why}", "unknown-code"),
    "helper-too-deep": _k("`{name}` ({where}) calls project code more than {depth} levels deep; the tool stops "
                          "there", "unknown-code"),
    "helper-unreadable": _k("`{name}()` ({where}) does not parse cleanly on its own", "unknown-code"),
    "helper-call": _k("`{name}()` is project code ({where}): {spawn} cannot run it"),
    "helper-calls-exit": _k("`{name}()` ({where}) ends in exit(): after fork it flushes the stdio buffers the child "
                            "copied from the parent a second time (under vfork it flushes the parent's own); only "
                            "_exit is safe in a child (--strict-exits)", "stdio"),
    "exits-in-helper": _k("`{name}()` ({where}) may end a child whose set-up or exec failed through exit() or "
                          "stdio: after fork it works on the child's copies of the parent's stdio buffers, so in "
                          "that failing run output the parent had buffered may appear twice (under vfork it was "
                          "written once); runs that reach exec are unchanged (--strict-exits keeps such a child "
                          "for review)"),
    "retry-macro": _k("`{name}` retries the call in a loop while it fails with EINTR: {spawn} cannot"),
    "ptrace-request": _k("`ptrace({request}, ...)` acts on another process: only PTRACE_TRACEME (PT_TRACE_ME, request 0) "
                         "is known to touch nothing but the child", "unknown-code"),
    "never-execs": _k("no path of the child reaches exec or _exit: under vfork the parent stays suspended "
                      "while it runs (forever when it never ends), under fork it would run at once", "leaves"),
    # -- vfork under another name (codemod.engines.c.proof.indirect) ---------
    "via-wrapper": _k("the call goes through the vfork wrapper {definition} ({where})"),
    "via-redirect": _k("`{name}()` is vfork here: {definition} ({where}) redirects it"),
    "via-wrapper-function": _k("`{name}()` ({where}) returns the vfork result: the child returns from it into "
                               "this function, undefined under vfork", "wrapper"),
    "via-handoff": _k("the child hands values to the parent through `{name}()`: the pipe rewrite needs the call "
                      "itself", "shared-memory"),
    "wrapper-body": _k("the wrapper `{name}` ({where}) does more than call vfork: {why}", "wrapper"),
    "redirect-conditional": _k("the redirect holds only when {condition}: a build where it holds may have no "
                               "working fork (a no-MMU target)", "configuration"),
    "definition-call": _k("call at {where}: {state}"),
    "definition-changes": _k("{what}"),
    # -- references that are not calls -----------------------------------------
    "reference": _k({"c": "`{code}` is {what}", "python": "{what}"}),
}
# The reason kinds a kind of finding keeps in its own module (codemod.core.kinds).
KINDS.update({kind: Kind(template, advice_key) for row in ROWS for kind, template, advice_key in row.reasons})


def reason(kind: str, line: int, language: str = "c", *, tags: frozenset = frozenset(), **fields) -> Reason:
    """The reason of ``kind`` at ``line``, worded for ``language``;
    ``tags`` (codemod.core.model's RETURNS, ...) travel with it."""
    entry = KINDS[kind]
    template = entry.template
    if isinstance(template, dict):
        template = template[language]
    fields.setdefault("spawn", _SPAWN.get(language, "posix_spawn"))
    short = ""
    if entry.advice in BREAKS:
        named, plain = BREAKS[entry.advice]
        short = named.format(**fields) if "name" in fields else plain
    return Reason(line, kind, template.format(**fields), short, tags)


class For:
    """``R = For("c")``; ``R("loop", 12, head=...)``: reasons in one language."""

    def __init__(self, language: str):
        self.language = language

    def __call__(self, kind: str, line: int, **fields) -> Reason:
        return reason(kind, line, self.language, **fields)


def advice(finding: Finding) -> list:
    """(decision, usual fix) pairs for the finding's reasons, in order, each once."""
    out = []
    for r in finding.reasons:
        key = KINDS[r.kind].advice if r.kind in KINDS else None
        if key is not None and ADVICE[key] not in out:
            out.append(ADVICE[key])
    if not out and finding.verdict is Verdict.REVIEW:
        out.append(FALLBACK)
    return out
