"""A child safe to run in a copy of the parent but beyond posix_spawn:
rewritten to fork, exit becoming _exit (C: codemod.engines.c.rewrite.fork;
Python: codemod.engines.py.engine)."""
from codemod.core.model import Applicability, KindInfo, Verdict

RULE = KindInfo(
    "vfork-to-fork", Verdict.FORK, "vfork call that fork can replace",
    "The child is safe to run in a copy of the parent but needs more than posix_spawn offers. "
    "`vfork-codemod apply` rewrites it to fork (and exit to _exit).", "warning", "fork", Applicability.SAFE,
    "rewrite to fork",
    example=("""\
pid = vfork();
if (pid == 0) {
	umask(027);
	execvp(argv[0], argv);
	exit(127);
}""",
             """\
pid = fork();
if (pid == 0) {
	umask(027);
	execvp(argv[0], argv);
	_exit(127);
}"""),
    order=1,
)
