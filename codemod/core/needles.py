"""The byte strings one of which a file must contain to be analysed at
all: `vfork` and the configured aliases.  No imports, so the command line
can compute them before anything else is loaded."""


def needles(aliases: tuple) -> tuple:
    """Byte strings one of which a file must contain to be parsed at all."""
    return (b"vfork",) + tuple(a.encode() for a in aliases if a)
