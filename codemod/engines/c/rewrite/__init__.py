"""Stage 4, the rewrites: a decision in, byte edits out.

Imports the earlier stages, never the engine that runs them."""
