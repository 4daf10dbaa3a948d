"""A C file made ready for the analysis: the `#if` groups the
configuration decides blanked (offsets kept), parsed (in parts for a file
too big to parse whole), and K&R definitions tree-sitter misreads made
readable."""
from __future__ import annotations

from typing import NamedTuple, Optional

from codemod.engines.c.frontend import knr, preproc
from codemod.engines.c.frontend.syntax import parse


class Prepared(NamedTuple):
    blanked: Optional[preproc.Blanked]   # None when the configuration decides no group
    parsed: bytes                        # the text the tree is of; offsets are those of the source
    tree: object
    moved: tuple = ()                    # ranges a K&R fix-up moved a few bytes (knr.Normalised.moved)


def prepare(source: bytes, config: preproc.Config, ranges: Optional[list] = None) -> Prepared:
    """``source`` read under ``config``; ``ranges``: parse only these byte
    ranges (codemod.engines.c.frontend.partial)."""
    blanked = preproc.blank(source, config)
    parsed = blanked.text if blanked is not None else source
    tree = parse(parsed, ranges)
    if tree.root_node.has_error and ranges is None:
        old_c = knr.normalise(parsed, tree.root_node)
        if old_c is not None:
            parsed = old_c.text
            tree = parse(parsed)
            return Prepared(blanked, parsed, tree, old_c.moved)
    return Prepared(blanked, parsed, tree)
