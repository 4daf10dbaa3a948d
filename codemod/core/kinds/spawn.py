"""A child that only sets up descriptors, the session, the process group or
signals, then execs: rewritten to posix_spawn (C: codemod.engines.c.rewrite.spawn;
Python: codemod.engines.py.engine)."""
from codemod.core.model import Applicability, KindInfo, Verdict

RULE = KindInfo(
    "vfork-to-spawn", Verdict.SPAWN, "vfork call that posix_spawn can replace",
    "The child only sets up file descriptors, the session, the process group or signals, "
    "then execs: posix_spawn does the same without sharing the parent's memory. "
    "`vfork-codemod apply` rewrites it.", "warning", "spawn", Applicability.SAFE, "rewrite to posix_spawn",
    example=("""\
pid = vfork();
if (pid < 0)
	return -1;
if (pid == 0) {
	dup2(fds[1], 1);
	execv(prog, argv);
	_exit(127);
}""",
             """\
{
	posix_spawn_file_actions_t spawn_fa;
	int spawn_err;

	posix_spawn_file_actions_init(&spawn_fa);
	posix_spawn_file_actions_adddup2(&spawn_fa, fds[1], 1);
	spawn_err = posix_spawn(&pid, prog, &spawn_fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&spawn_fa);
	if (spawn_err != 0) {
		errno = spawn_err;
		pid = -1;
	}
}
if (pid < 0)
	return -1;"""),
    order=0,
)
