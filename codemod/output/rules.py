"""`vfork-codemod rule [RULE]`: what each rule finds, why it matters, an
example before and after, and how safe its fix is (as `ruff rule` does)."""
from __future__ import annotations

from codemod.core.model import KINDS, Applicability

EXAMPLES = {
    "vfork-to-spawn": ("""\
pid = vfork();
if (pid < 0)
	return -1;
if (pid == 0) {
	dup2(fds[1], 1);
	execv(prog, argv);
	_exit(127);
}""", """\
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
    "vfork-to-fork": ("""\
pid = vfork();
if (pid == 0) {
	umask(027);
	execvp(argv[0], argv);
	exit(127);
}""", """\
pid = fork();
if (pid == 0) {
	umask(027);
	execvp(argv[0], argv);
	_exit(127);
}"""),
    "vfork-to-fork-pipe": ("""\
pid = vfork();
if (pid == 0) {
	execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
	exec_errno = errno;
	_exit(127);
}""", """\
pid = run_shell_handoff_fork(&exec_errno);    /* helpers added above the function */
if (pid == 0) {
	execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
	run_shell_handoff_put(0, exec_errno = errno);
	_exit(127);
}"""),
    "vfork-review": ("""\
pid = vfork();
if (pid == 0) {
	hook_started = 1;        /* the parent reads it */
	execl(hook, hook, (char *)NULL);
	_exit(127);
}""", "(no rewrite is made; `review --out DIR` writes the proposed fork as an [RFC] patch)"),
    "vfork-reference": ("#define vfork fork", "(reported only; never edited)"),
}

SAFETY = {
    Applicability.SAFE: "safe: `vfork-codemod apply` makes it (the proof is in the reasons of each site)",
    Applicability.UNSAFE: "unsafe: a proposal; applied only with --include-review",
    None: "none: nothing to apply",
}


def explain(rule: str) -> str:
    info = KINDS[rule]
    before, after = EXAMPLES.get(rule, ("", ""))
    indent = lambda text: "\n".join("    " + line if line else "" for line in text.split("\n"))  # noqa: E731
    return (f"# {rule} ({info.verdict.value})\n\n"
            f"What it finds: {info.title}.\n\n"
            f"Why it matters: {info.help}\n\n"
            f"Fix safety: {SAFETY[info.applicability]}.\n\n"
            f"Before:\n\n{indent(before)}\n\nAfter:\n\n{indent(after)}\n")


def listing() -> str:
    width = max(len(r) for r in KINDS)
    return "".join(f"{rule:<{width}}  {info.verdict.value:<7} {info.title}\n" for rule, info in KINDS.items())
