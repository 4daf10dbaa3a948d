"""A child that hands errno or a constant back to the parent after a failed
exec: fork with a close-on-exec pipe that carries the values (C:
codemod.engines.c.rewrite.handoff)."""
from codemod.core.model import Applicability, KindInfo, Verdict

RULE = KindInfo(
    "vfork-to-fork-pipe", Verdict.FORK, "vfork call whose child hands values back: fork with a pipe",
    "After a failed exec the child stores errno or a constant for the parent (an exec-error hand-off). "
    "`vfork-codemod apply` rewrites it to fork plus a close-on-exec pipe that carries those values, read "
    "by the parent before it goes on.", "warning", "fork", Applicability.SAFE,
    "rewrite to fork with a close-on-exec pipe for the values the child hands back",
    example=("""\
pid = vfork();
if (pid == 0) {
	execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
	exec_errno = errno;
	_exit(127);
}""",
             """\
pid = run_shell_handoff_fork(&exec_errno);    /* helpers added above the function */
if (pid == 0) {
	execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
	run_shell_handoff_put(0, exec_errno = errno);
	_exit(127);
}"""),
    order=4,
    reasons=(
        ("handoff-pipe", "vfork() becomes {helper}(): fork with a pipe made close-on-exec by {pipe}; the child "
                         "writes {names} to it after a failed exec, and the parent reads to the end (the exec or "
                         "exit of the child) and stores them before it goes on", None),
        ("handoff-pipe-race", "pipe2 is declared only with _GNU_SOURCE (or not in POSIX.1-2008): the pipe is made "
                              "by pipe and fcntl(FD_CLOEXEC), and a thread that forks between the two calls "
                              "would keep it open", None),
    ),
)
