"""What parsing a C file costs, and how a file too big for its budget is
read: tree-sitter needs about 150 bytes per token, and again to check the
rewrite.  A file whose estimated cost is over ``--max-parse-memory`` is
parsed in parts (only the top-level items that mention vfork, see
:mod:`codemod.engines.c.frontend.partial`); when even those are too big (a 20 MB
one-line initialiser in the function with the vfork) it is skipped with a
note."""
from __future__ import annotations

from codemod.core.model import Skip

BYTES_PER_TOKEN = 300      # a parse and the check of the rewrite: two trees of about 150 bytes a token
_PUNCT = b"!%&()*+,-./:;<=>?[]^{|}~\"'#\\"
_WORDISH = bytes(range(48, 58)) + bytes(range(65, 91)) + bytes(range(97, 123)) + b"_"
# Word bytes become "a", everything else " ": a word starts at each " a".
_CLASSES = bytes(ord("a") if b in _WORDISH else ord(" ") for b in range(256))


def c_tokens(source: bytes) -> int:
    """About how many tokens tree-sitter will make of ``source`` (words and
    punctuation), counted in C without making an object per token."""
    classes = b" " + source.translate(_CLASSES)
    words = classes.count(b" a")
    del classes
    return words + len(source) - len(source.translate(None, _PUNCT))


def c_ranges(source: bytes, budget_mb: int, words: tuple):
    """None to parse ``source`` whole; a list of byte ranges to parse when
    the whole would not fit ``budget_mb``; a :class:`Skip` when even the
    parts that mention vfork do not fit."""
    budget = budget_mb * 1024 * 1024
    if len(source) * BYTES_PER_TOKEN <= budget:      # a token is at least a byte
        return None
    tokens = c_tokens(source)
    if tokens * BYTES_PER_TOKEN <= budget:
        return None
    from codemod.engines.c.frontend.partial import item_ranges     # tree-sitter: only for a file this big
    ranges = item_ranges(source, words)
    if ranges is None:
        return Skip(f"too large to analyse: about {tokens:,} tokens need about "
                    f"{tokens * BYTES_PER_TOKEN >> 20:,} MB to parse and check, more than the {budget_mb:,} MB "
                    "allowed (--max-parse-memory), and its top-level items could not be told apart to parse "
                    "only those that mention vfork; skipped")
    part = sum(c_tokens(source[lo:hi]) for lo, hi in ranges)
    if part * BYTES_PER_TOKEN > budget:
        return Skip(f"too large to analyse: the parts that mention vfork alone have about {part:,} tokens, "
                    f"which need about {part * BYTES_PER_TOKEN >> 20:,} MB to parse and check, more than the "
                    f"{budget_mb:,} MB allowed (--max-parse-memory); skipped")
    return ranges
