"""Verdict reasons name the statement, the variable and the line.  Pairs of
"must not change" and "fixes" for cases the golden files do not spell out."""
import pytest

from codemod.core.model import Status, Verdict
from codemod.core.options import RunOptions
from codemod.pipeline import process_source
from golden import GOLDEN


def findings(source: bytes, **options):
    result = process_source(source, "t.c", "c", RunOptions(**options))
    assert result.status is not Status.FAILED, result.error
    return result


def reasons_of(case: str, **options):
    result = findings((GOLDEN / "c" / case / "input.c").read_bytes(), **options)
    return [(f.verdict, [str(r) for r in f.reasons]) for f in result.findings]


def test_a_store_before_exec_names_variable_and_line():
    ((verdict, reasons),) = reasons_of("review_store_before_exec")
    assert verdict is Verdict.REVIEW
    assert reasons == ["line 19: `started = 1` writes `started`, declared outside the child "
                       "region: under vfork the parent sees this store, under fork or posix_spawn it does not"]


def test_exec_errno_handoff_names_variable_and_line():
    result = findings((GOLDEN / "c" / "handoff_errno_echo" / "input.c").read_bytes())
    (f,) = result.findings
    assert (f.verdict, f.rule) == (Verdict.FORK, "vfork-to-fork-pipe")
    assert [str(r) for r in f.reasons] == [
        "line 18: `exec_errno = errno;` hands `exec_errno` to the parent after a failed exec: posix_spawn "
        "cannot; under fork a close-on-exec pipe carries it",
        "line 13: vfork() becomes main_handoff_fork(): fork with a pipe made close-on-exec by pipe and "
        "fcntl(FD_CLOEXEC); the child writes `exec_errno` to it after a failed exec, and the parent reads to "
        "the end (the exec or exit of the child) and stores them before it goes on",
        "line 13: pipe2 is declared only with _GNU_SOURCE (or not in POSIX.1-2008): the pipe is made by pipe "
        "and fcntl(FD_CLOEXEC), and a thread that forks between the two calls would keep it open"]


@pytest.mark.parametrize("store,kind", [
    ("\t\tregister_only = errno;", "handoff-register"),
    ("\t\tunknown_global = errno;", "handoff-undeclared"),
    ("\t\tratio = 1;", "handoff-type"),
])
def test_a_handoff_the_pipe_cannot_carry_is_review(store, kind):
    source = f"""#include <errno.h>
#include <unistd.h>
int run(char *const argv[])
{{
	register int register_only = 0;
	double ratio = 0;
	pid_t pid = vfork();
	if (pid < 0)
		return -1;
	if (pid == 0) {{
		execv(argv[0], argv);
{store}
		_exit(127);
	}}
	return register_only + (int)ratio;
}}
""".encode()
    (f,) = findings(source).findings
    assert f.verdict is Verdict.REVIEW and f.fix is None
    assert [r.kind for r in f.reasons] == [kind]


def test_only_errno_or_a_constant_after_the_exec_is_a_handoff():
    source = b"""#include <errno.h>
#include <unistd.h>
int run(char *const argv[], int code)
{
	volatile int got = 0;
	pid_t pid = vfork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		execv(argv[0], argv);
		got = code;
		_exit(127);
	}
	return got;
}
"""
    (f,) = findings(source).findings
    assert f.verdict is Verdict.REVIEW and [r.kind for r in f.reasons] == ["shared-write"]


def test_names_resolve_through_block_scopes_and_statics_are_shared():
    (shadowed, static, private) = reasons_of("review_shadowed_and_static_writes")
    assert shadowed == (Verdict.REVIEW, [
        "line 21: `status = 7` writes `status`, declared outside the child region: under vfork the parent "
        "sees this store, under fork or posix_spawn it does not"])
    assert static == (Verdict.REVIEW, [
        "line 38: `tries++` writes `tries`, a static variable the parent shares: under vfork the parent "
        "sees this store, under fork or posix_spawn it does not"])
    assert private[0] is Verdict.FORK


def test_a_block_local_of_the_same_name_is_the_childs_own():
    src = b"""#include <unistd.h>
int f(char **argv)
{
	pid_t pid;
	int n = 0;

	pid = vfork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		int n;
		for (n = 3; n < 9; n++)
			close(n);
		execv(argv[0], argv);
		_exit(127);
	}
	return pid + n;
}
"""
    (f,) = findings(src).findings
    assert f.verdict is Verdict.FORK


def test_unknown_function_is_named():
    ((verdict, reasons),) = reasons_of("review_unknown_function")
    assert verdict is Verdict.REVIEW
    assert reasons[0].startswith("line 15: `prepare_child()` is not a function the tool knows")


def test_shared_state_calls_are_named():
    ((_, reasons),) = reasons_of("review_stdout_and_shared_calls")
    assert reasons == ["line 12: `printf()` writes the stdio buffers shared with the parent",
                       "line 13: `setenv()` writes environ, shared with the parent"]


def test_wrapper_discard_and_pass_on():
    got = reasons_of("review_wrapper_and_discard")
    assert [r[0] for _, r in got] == [
        "line 5: the vfork result is returned: the child runs on in the caller of xvfork after this "
        "function returns (a vfork wrapper)",
        "line 10: the vfork result is discarded: nothing tells the child from the parent",
        "line 17: the vfork result is passed to `track(vfork())`; the child runs in that callee",
    ]


def test_error_region_gets_no_proposal():
    for case in ("review_error_region",):
        src = (GOLDEN / "c" / case / "input.c").read_bytes()
        result = findings(src, include_review=True)
        assert result.status is Status.UNCHANGED
        assert all(not f.rewritable for f in result.findings)


def test_missing_token_reason_names_the_statement():
    ((verdict, reasons),) = reasons_of("review_error_region")
    assert verdict is Verdict.REVIEW
    assert reasons[0] == ("line 11: `BEGIN_CHILD` does not parse as C: tree-sitter had to assume "
                          "a missing `;` (often a macro it cannot see through)")


def test_retry_loop_and_fallthrough_reasons():
    ((_, loop),) = reasons_of("fork_retry_loop")
    assert loop[0] == "line 12: retry loop around vfork: posix_spawn cannot sit in a loop condition"
    ((_, fall),) = reasons_of("fork_fallthrough_child")
    assert fall[0] == "line 20: the child is reached by falling through after the parent's branches"


def test_a_retry_loop_left_by_break_is_fork_with_its_reason():
    ((verdict, reasons),) = reasons_of("fork_retry_break")
    assert verdict is Verdict.FORK
    assert reasons[0] == ("line 15: retry loop around vfork, left by `break` once it succeeds: posix_spawn "
                          "would have to be retried the same way")


RETRY_BREAK = b"""#include <unistd.h>
int run(char **argv)
{
	pid_t pid = -1;
	int tries;

	for (tries = 0; tries < 4; tries++) {
		pid = vfork();
		if (TEST)
			break;
		sleep(1);
	}
	if (pid < 0)
		return -1;
	if (pid == 0) {
		execv(argv[0], argv);
		_exit(127);
	}
	return pid;
}
"""


@pytest.mark.parametrize("test, verdict", [
    (b"pid >= 0", Verdict.FORK), (b"pid != -1", Verdict.FORK),
    # Only the parent leaves: the child runs the loop again (and vforks).
    (b"pid > 0", Verdict.REVIEW),
    # A failure may leave as well: not the retry shape (the tool does not guess).
    (b"pid >= 0 || tries == 3", Verdict.REVIEW),
    (b"1", Verdict.REVIEW),
])
def test_a_retry_loop_is_left_by_break_only_when_child_and_parent_leave_and_a_failure_stays(test, verdict):
    (f,) = findings(RETRY_BREAK.replace(b"TEST", test)).findings
    assert f.verdict is verdict, [str(r) for r in f.reasons]


FN_POINTER = b"""#include <string.h>
#include <unistd.h>
OUTER
int run(char **argv)
{
	pid_t pid = vfork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		INNER
		pick = strerror;
		(void)pick;
		execv(argv[0], argv);
		_exit(127);
	}
	return pid;
}
"""


@pytest.mark.parametrize("outer, inner, verdict", [
    (b"", b"char *(*pick)(int);", Verdict.FORK),          # the child's own function pointer
    (b"char *(*pick)(int);", b"", Verdict.REVIEW),        # the program's
])
def test_a_function_pointer_declared_in_the_child_is_its_own(outer, inner, verdict):
    (f,) = findings(FN_POINTER.replace(b"OUTER", outer).replace(b"INNER", inner)).findings
    assert f.verdict is verdict, [str(r) for r in f.reasons]
    if verdict is Verdict.REVIEW:
        assert "`pick = strerror` writes `pick`, declared outside the child region" in str(f.reasons[0])


def test_ifdef_have_vfork_reason_names_the_directive():
    ((verdict, reasons),) = reasons_of("fork_ifdef_have_vfork")
    assert verdict is Verdict.FORK
    assert reasons[0] == ("line 11: vfork sits in one branch of `#ifdef HAVE_VFORK`; "
                          "the child region after it is shared with the other branch")


def test_no_failure_test_means_fork():
    ((verdict, reasons),) = reasons_of("fork_no_failure_check")
    assert verdict is Verdict.FORK
    assert "nothing tests `pid` for failure" in reasons[0]


def test_gnu_source_after_include_does_not_count():
    src = (GOLDEN / "c" / "spawn_chdir_setsid_gnu" / "input.c").read_bytes()
    moved = src.replace(b"#define _GNU_SOURCE\n#include <stdio.h>\n", b"#include <stdio.h>\n#define _GNU_SOURCE\n")
    (f,) = findings(moved).findings
    assert f.verdict is Verdict.FORK
    assert "_GNU_SOURCE is defined before the first #include" in f.reasons[0].text


CHILD = b"""#include <unistd.h>
int f(char **argv, int *out)
{
	pid_t pid = vfork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		%s
		execv(argv[0], argv);
		_exit(127);
	}
	return pid;
}
"""


@pytest.mark.parametrize("stmt, verdict, fragment", [
    (b"*out = 1;", Verdict.REVIEW, "through the pointer `out`"),
    (b"errno = 0;", Verdict.REVIEW, "errno, which the child shares"),
    (b"argv[0] = \"x\";", Verdict.REVIEW, "through `argv`"),
    (b"free(argv);", Verdict.REVIEW, "allocator state"),
    (b"longjmp(env, 1);", Verdict.REVIEW, "leaves the child region"),
    (b"(*hook)();", Verdict.REVIEW, "function pointer"),
    (b"umask(022);", Verdict.FORK, "`umask(022)` has no posix_spawn equivalent"),
    (b"setuid(1000);", Verdict.FORK, "`setuid(1000)` has no posix_spawn equivalent"),
    (b"if (argv[1]) close(3);", Verdict.FORK, "condition `if (argv[1])`"),
    (b"close(3);", Verdict.SPAWN, "close(3) → posix_spawn_file_actions_addclose"),
    (b"pthread_sigmask(SIG_SETMASK, &set, NULL);", Verdict.SPAWN, "signal mask &set → POSIX_SPAWN_SETSIGMASK"),
    (b"setpgid(leader, 0);", Verdict.FORK, "sets the group of a process other than the child"),
    (b"setpgid(getpid(), 0);", Verdict.FORK, "`setpgid(getpid(), 0)` has arguments with side effects"),
    (b"sigprocmask(SIG_BLOCK, &set, NULL);", Verdict.FORK, "can only set the whole mask (SIG_SETMASK)"),
    (b"sigset_t old; sigprocmask(SIG_SETMASK, &set, &old);", Verdict.FORK, "SIG_SETMASK"),
    (b"sigprocmask(SIG_SETMASK, &set, &saved);", Verdict.REVIEW, "writes `saved`, declared outside"),
    (b"dup2(fd, 1);", Verdict.FORK, "`dup2(fd, 1)` fails when `fd` is not an open descriptor (nothing before "
                                    "vfork shows that it is open); the child ignores that"),
    (b"if (dup2(fd, 1) < 0) _exit(126); close(fd);", Verdict.SPAWN,
     "dup2(fd, 1) → posix_spawn_file_actions_adddup2"),
    (b"setpgid(0, pgrp);", Verdict.FORK, "`setpgid(0, pgrp)` fails at run time when `pgrp` names no process "
                                         "group of this session (EPERM)"),
    (b"if (setpgid(0, pgrp) < 0) _exit(126);", Verdict.SPAWN, "setpgid(0, pgrp) → POSIX_SPAWN_SETPGROUP"),
    (b"dup2(3, 3);", Verdict.SPAWN, "`dup2(3, 3)` does nothing (a descriptor duplicated onto itself): left out"),
    (b"int fd = open(p, O_RDONLY); if (fd < 0) _exit(1); if (fd != 0) { dup2(fd, 0); close(fd); }",
     Verdict.SPAWN, "open(p, O_RDONLY) moved onto fd 0 → posix_spawn_file_actions_addopen"),
    (b"int fd = open(p, O_RDONLY); if (fd < 0) _exit(1); dup2(fd, 0); close(fd);", Verdict.FORK,
     "when descriptor 0 is free and the lowest free one"),
])
def test_child_statements(stmt, verdict, fragment):
    (f,) = findings(CHILD % stmt).findings
    assert f.verdict is verdict, [str(r) for r in f.reasons]
    assert any(fragment in r.text for r in f.reasons), [str(r) for r in f.reasons]


def test_execvp_becomes_posix_spawnp_only_when_asked():
    src = CHILD.replace(b"execv(argv[0], argv);", b"execvp(argv[0], argv);") % b""
    (f,) = findings(src).findings
    assert f.verdict is Verdict.FORK
    assert f.reasons[0].text.startswith("`execvp()` runs a file without `#!` through /bin/sh when the kernel "
                                        "cannot execute it (ENOEXEC)")
    (f,) = findings(src, spawnp=True).findings
    assert f.verdict is Verdict.SPAWN


def test_generated_names_avoid_whole_words_of_the_file():
    from codemod.engines.c.rewrite.target import Words
    words = Words(b"int spawn_attr; /* spawn_err */ int spawn_argvx, xspawn_fa;\n")
    assert "spawn_attr" in words and "spawn_err" in words
    assert "spawn_argv" not in words and "spawn_fa" not in words and "spawn" not in words


LABELED = b"""#include <errno.h>
#include <unistd.h>
int run(char *const argv[])
{
	pid_t pid;
retry:
	pid = vfork();
	if (pid < 0) {
		if (errno == EAGAIN)
			goto retry;
		return -1;
	}
	if (pid == 0) {
		execv(argv[0], argv);
		_exit(127);
	}
	return pid;
}
"""


def test_a_label_on_the_vfork_statement_is_read_through():
    # The statements after `retry: pid = vfork();` follow it in the block;
    # the label stays, so posix_spawn's several statements cannot take its place.
    (f,) = findings(LABELED).findings
    assert f.verdict is Verdict.FORK
    assert [str(r) for r in f.reasons] == ["line 7: `pid = vfork();` is not a statement of its own line and block"]
    (unlabeled,) = findings(LABELED.replace(b"retry:\n", b"").replace(b"goto retry", b"return -2")).findings
    assert unlabeled.verdict is Verdict.SPAWN


CAST_OLDACT = b"""#include <signal.h>
#include <unistd.h>
static struct sigaction saved;
int run(char *const argv[], struct sigaction *act)
{
	pid_t pid = vfork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		(void) sigaction(SIGINT, act, OLD);
		(void) execv(argv[0], argv);
		_exit(127);
	}
	return pid;
}
"""


def test_a_cast_null_out_argument_writes_nothing():
    # `(struct sigaction *) NULL` as the old action: nothing is written.
    (f,) = findings(CAST_OLDACT.replace(b"OLD", b"(struct sigaction *) NULL")).findings
    assert f.verdict is Verdict.FORK
    assert [str(r) for r in f.reasons] == [
        "line 10: `sigaction(SIGINT, act, (struct sigaction *) NULL)` is not a reset to SIG_DFL the tool can prove"]
    (f,) = findings(CAST_OLDACT.replace(b"OLD", b"(struct sigaction *) &saved")).findings
    assert f.verdict is Verdict.REVIEW
    assert [str(r) for r in f.reasons] == [
        "line 10: `sigaction(SIGINT, act, (struct sigaction *) &saved)` through argument 3, writes `saved`, "
        "declared outside the child region: under vfork the parent sees this store, under fork or posix_spawn "
        "it does not"]


REPEATED = b"""#include <errno.h>
#include <unistd.h>
int io, a, b, *p;
struct { int f; } s, *sp;
int f(void);
int run(char **argv)
{
	int pid;

	pid = vfork();
	%s
	if (pid < 0)
		return -1;
	if (pid == 0) {
		execv(argv[0], argv);
		_exit(127);
	}
	return 0;
}
"""


@pytest.mark.parametrize("stores", [b"io = a;", b"errno = 0;", b"io = a + 2 * b;", b"s.f = a; io = b;",
                                    b"io = (int)sizeof(s);", b"a = b; io = -b;"])
def test_a_store_the_parent_repeats_keeps_fork(stores):
    [f] = findings(REPEATED % stores).findings
    assert f.verdict is Verdict.FORK, [str(r) for r in f.reasons]
    assert "runs in both processes before they part; the parent's store replaces the child's" in f.message


@pytest.mark.parametrize("stores", [
    b"a++;",                 # the parent would see two increments under vfork
    b"a = a + 1;",           # reads what it writes
    b"a = b; b = 5;",        # the second store changes what the first read
    b"b = 5; a = b;",        # the first store changes what the second reads
    b"io = *p;",             # reads through a pointer
    b"sp->f = 1;",           # writes through a pointer
    b"io = f();",            # calls
    b"pid = 1;",             # the result itself
    b"p[b++] = 1;",          # the index changes
])
def test_a_store_the_parent_does_not_repeat_exactly_is_review(stores):
    [f] = findings(REPEATED % stores).findings
    assert f.verdict is Verdict.REVIEW
    assert any(r.kind == "runs-in-both" or r.kind.startswith("result") for r in f.reasons), \
        [str(r) for r in f.reasons]


@pytest.mark.parametrize("calls", [
    b"close(io);",                       # busybox nc.c's `xmove_fd(cfd, 0);` does dup2 and close
    b"dup2(io, 0); close(io);",
    b"signal(SIGCHLD, SIG_DFL);",
    b"alarm(0); errno = 0;",
    b"write(2, \"x\", 1);",               # each process writes it, under vfork too
])
def test_a_call_each_process_makes_on_its_own_state_keeps_fork(calls):
    [f] = findings(REPEATED.replace(b"#include <unistd.h>", b"#include <signal.h>\n#include <unistd.h>")
                   % calls).findings
    assert f.verdict is Verdict.FORK, [str(r) for r in f.reasons]
    assert "runs in both processes before they part; it changes only what each process has its own of" \
        in " ".join(str(r) for r in f.reasons)


@pytest.mark.parametrize("calls, fragment", [
    (b"pipe(p);", "writes through argument 1"),            # memory the parent reads again
    (b"puts(\"x\");", "writes the stdio buffers"),          # one buffer under vfork, two under fork
    (b"f();", "`f()` is not a function the tool knows"),
    (b"close(f());", "runs in both"),                      # a call in an argument
    (b"_exit(1);", "runs in both"),
])
def test_a_call_whose_second_run_differs_under_vfork_is_review(calls, fragment):
    [f] = findings(REPEATED % calls).findings
    assert f.verdict is Verdict.REVIEW
    assert fragment in " ".join(str(r) for r in f.reasons), [str(r) for r in f.reasons]


CHILD_ONLY = b"""#include <unistd.h>
int run(char **argv, int n)
{
	int fd;
	int count = 0;
	char *vec[4];
	pid_t pid;
%(head)s
	pid = vfork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
%(child)s
		execv(%(exec)s);
		_exit(127);
	}
%(tail)s
	return pid;
}
"""


def child_only(child: bytes, head: bytes = b"", tail: bytes = b"", exec: bytes = b"vec[0], vec"):
    return findings(CHILD_ONLY % {b"head": head, b"child": child, b"tail": tail, b"exec": exec}).findings


@pytest.mark.parametrize("head,child,tail", [
    # straight-line function: the child's locals, array or parameter, are its own
    (b"", b"\t\tvec[0] = argv[0]; vec[1] = NULL;", b""),
    (b"", b"\t\tcount++; vec[0] = argv[count]; vec[1] = NULL;", b""),
    (b"", b"\t\targv++; vec[0] = *argv; vec[1] = NULL; n = 1;", b""),
    # a forward goto does not come back
    (b"\tif (n) goto out;", b"\t\tcount++; vec[0] = argv[count]; vec[1] = NULL;", b"out:"),
    # in a loop, a scalar the child sets on every path before it reads it
    (b"\twhile (n-- > 0) {", b"\t\tfor (fd = 3; fd < 64; fd++)\n\t\t\tclose(fd);\n"
     b"\t\tcount = 3; close(count);", b"\t}"),
    (b"\twhile (n-- > 0) {", b"\t\tif (n > 2) {\n\t\t\tif ((fd = open(\"/dev/null\", 0)) < 0)\n\t\t\t\t_exit(1);\n"
     b"\t\t} else if (n)\n\t\t\tfd = -1;\n\t\telse\n\t\t\tfd = dup(0);\n\t\tif (fd > 0)\n\t\t\tdup2(fd, 0);",
     b"\t}"),
])
def test_a_local_only_the_child_mentions_keeps_fork(head, child, tail):
    [f] = child_only(child, head, tail, exec=b"argv[0], argv" if head else b"vec[0], vec")
    assert f.verdict is Verdict.FORK, [str(r) for r in f.reasons]


@pytest.mark.parametrize("head,child,tail,what,how", [
    (b"\twhile (n-- > 0) {", b"\t\tcount++; vec[0] = argv[count]; vec[1] = NULL;", b"\t}",
     "`count++` writes `count`", "inside the loop at line 8"),
    (b"\tfor (;;) {", b"\t\tvec[0] = argv[0]; vec[1] = NULL;", b"\t\tif (n) break;\n\t}",
     "`vec[0] = argv[0]` writes the array `vec`", "inside the loop at line 8"),
    # stored on one path only, or after a read, or where it may not run
    (b"\twhile (n-- > 0) {", b"\t\tif (n > 2)\n\t\t\tfd = 3;\n\t\tclose(fd);", b"\t}",
     "`fd = 3` writes `fd`", "inside the loop at line 8"),
    (b"\twhile (n-- > 0) {", b"\t\tif (n > 2 && (fd = 3))\n\t\t\tclose(0);\n\t\tclose(fd);", b"\t}",
     "`fd = 3` writes `fd`", "inside the loop at line 8"),
    (b"\tdo {", b"\t\tclose(fd);\n\t\tfd = 3;", b"\t} while (n--);",
     "`fd = 3` writes `fd`", "inside the loop at line 8"),
    (b"again:", b"\t\tcount = count + 1; vec[0] = argv[0]; vec[1] = NULL;", b"\tif (n--) goto again;",
     "`count = count + 1` writes `count`", "the `goto again` at line 17 comes back to its label at line 8"),
    (b"\tstatic jmp_buf back;\n\tif (setjmp(back)) n = 0;", b"\t\tcount++; vec[0] = argv[count]; vec[1] = NULL;",
     b"", "`count++` writes `count`", "the function calls `setjmp` at line 9"),
])
def test_a_child_local_a_later_run_of_the_child_reads_is_review(head, child, tail, what, how):
    [f] = child_only(child, head, tail)
    assert f.verdict is Verdict.REVIEW
    [reason] = [r for r in f.reasons if r.kind == "rerun-write"][:1]
    assert str(reason).startswith(f"line {reason.line}: {what}, which only the child mentions, but the function "
                                  f"can run the child region again ({how}): under vfork a later child starts "
                                  "from this store, under fork or posix_spawn from the parent's value")


def test_a_parameter_array_is_the_callers_memory():
    [f] = child_only(b"\t\targv[0] = \"x\"; vec[0] = argv[0]; vec[1] = NULL;")
    assert f.verdict is Verdict.REVIEW
    assert "`argv[0] = \"x\"` writes through `argv`" in str(f.reasons[0])


def test_a_local_the_parent_reads_afterwards_is_not_the_childs():
    [f] = child_only(b"\t\tcount = 2; vec[0] = argv[0]; vec[1] = NULL;", tail=b"\tn = count;")
    assert f.verdict is Verdict.REVIEW
    assert "writes `count`, declared outside the child region" in str(f.reasons[0])


FAILURE_CASE = b"""#include <stdio.h>
#include <unistd.h>
int run(char *const argv[])
{
	pid_t pid;

	switch (pid = vfork()) {
	case %(label)s:
%(failure)s
	case 0:
		execv(argv[0], argv);
		%(exit)s(127);
	default:
		return pid;
	}
}
"""


def failure_case(failure: bytes, exit: bytes = b"_exit", label: bytes = b"-1"):
    [f] = findings(FAILURE_CASE % {b"label": label, b"failure": failure, b"exit": exit}).findings
    return f


def test_a_failure_case_that_leaves_allows_spawn():
    assert failure_case(b"\t\treturn -1;").verdict is Verdict.SPAWN


def test_a_failure_case_falling_into_the_child_keeps_fork():
    f = failure_case(b"\t\tfputs(\"running it here\\n\", stderr);")
    assert f.verdict is Verdict.FORK
    assert ("line 8: the failure case falls into `case 0:`: when vfork fails the parent runs the child's code "
            "itself, as it will when fork fails; posix_spawn has no such code to run") in [str(r) for r in f.reasons]


@pytest.mark.parametrize("exit", [b"exit", b"err(1, \"exec\"); _exit"])
def test_an_exit_the_failure_run_shares_is_review(exit):
    f = failure_case(b"\t\tfputs(\"running it here\\n\", stderr);", exit=exit)
    assert f.verdict is Verdict.REVIEW
    assert str(f.reasons[0]).startswith("line 12: `")
    assert ("becomes _exit() in the child, but the parent runs it too when vfork fails (the failure case at "
            "line 8 falls into `case 0:`): it would lose its stdio buffers and atexit handlers there") \
        in str(f.reasons[0])


def test_another_case_falling_into_the_child_is_review():
    f = failure_case(b"\t\tfputs(\"odd\\n\", stderr);", label=b"1")
    assert f.verdict is Verdict.REVIEW
    assert str(f.reasons[0]) == "line 10: the case before `case 0:` falls through into the child"


def test_a_handoff_the_failure_run_shares_is_review():
    source = (FAILURE_CASE % {b"label": b"-1", b"failure": b"\t\tfputs(\"here\\n\", stderr);", b"exit": b"_exit"}
              ).replace(b"\t\t_exit(127);", b"\t\tfailed = errno;\n\t\t_exit(127);").replace(
        b"#include <unistd.h>", b"#include <errno.h>\n#include <unistd.h>\nint failed;")
    [f] = findings(source).findings
    assert f.verdict is Verdict.REVIEW
    assert [r.kind for r in f.reasons][:1] == ["failure-runs-handoff"]


SLEEPER = b"""#include <signal.h>
#include <time.h>
#include <unistd.h>
struct timespec left;
sigset_t waiting;
int run(char *const argv[])
{
	pid_t pid = vfork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		struct timespec pause = { 0, 1000 }, rest;
		sigset_t mine;
%s
		execv(argv[0], argv);
		_exit(127);
	}
	return pid;
}
"""


@pytest.mark.parametrize("call", [b"nanosleep(&pause, &rest);", b"nanosleep(&pause, NULL);",
                                  b"clock_nanosleep(CLOCK_MONOTONIC, 0, &pause, &rest);", b"sigpending(&mine);"])
def test_sleeping_or_asking_for_pending_signals_writes_only_the_childs_memory(call):
    [f] = findings(SLEEPER % (b"\t\t" + call)).findings
    assert f.verdict is Verdict.FORK, [str(r) for r in f.reasons]


@pytest.mark.parametrize("call,arg", [(b"nanosleep(&pause, &left);", "2, writes `left`"),
                                      (b"clock_nanosleep(CLOCK_MONOTONIC, 0, &pause, &left);", "4, writes `left`"),
                                      (b"sigpending(&waiting);", "1, writes `waiting`")])
def test_what_they_store_for_the_parent_is_review(call, arg):
    [f] = findings(SLEEPER % (b"\t\t" + call)).findings
    assert f.verdict is Verdict.REVIEW
    assert f"through argument {arg}, declared outside the child region" in str(f.reasons[0])
