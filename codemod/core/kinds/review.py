"""A child the tool cannot prove safe: a person decides; a fork rewrite is
proposed (made with --include-review, written as an [RFC] patch by `review`)."""
from codemod.core.model import Applicability, KindInfo, Verdict

RULE = KindInfo(
    "vfork-review", Verdict.REVIEW, "vfork call that needs a person",
    "The tool cannot prove the child region safe to move off vfork: it writes memory the "
    "parent reads, calls unknown functions, leaves the region, or its bounds are unclear. "
    "`vfork-codemod review --out DIR` writes a patch explaining what to decide.", "error", "review",
    Applicability.UNSAFE, "proposed rewrite to fork",
    example=("""\
pid = vfork();
if (pid == 0) {
	hook_started = 1;        /* the parent reads it */
	execl(hook, hook, (char *)NULL);
	_exit(127);
}""",
             """\
(no rewrite is made; `review --out DIR` writes the proposed fork as an [RFC] patch)"""),
    order=2,
)
