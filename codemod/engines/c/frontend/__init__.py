"""Stage 1, the front end: C text to syntax trees.

Locating the query files (grammars), the parse and its helpers (syntax),
parsing a file too big to parse whole in parts (partial, cost), reading
K&R definitions (knr), the first filter (prefilter), deciding `#if`s
(preproc) and the texts of a site's configurations (variants).

Imports nothing from the later stages (project, proof, rewrite)."""
