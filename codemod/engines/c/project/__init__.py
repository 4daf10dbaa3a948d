"""Stage 2, what names mean: the C library's table (libc) and what the
project index learned from the tree (knowledge: its values; index: the
learning, which reads other files through the front end).

Imports the front end only."""
