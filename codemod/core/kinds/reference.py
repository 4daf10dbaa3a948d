"""A reference to vfork that is not a call: reported, never edited."""
from codemod.core.model import KindInfo, Verdict

RULE = KindInfo(
    "vfork-reference", Verdict.NOTE, "reference to vfork that is not a call",
    "A declaration, a macro or vfork used as a value. Reported for completeness; never edited.",
    "note", "note", None,
    example=("""\
#define vfork fork""",
             """\
(reported only; never edited)"""),
    order=3,
)
