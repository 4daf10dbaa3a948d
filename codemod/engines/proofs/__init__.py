"""Proofs that a posix_spawn plan starts the program exactly as the child's
own set-up would.  Each module simulates one part of process state in every
starting state that matters, with the child's semantics on one side and
posix_spawn's (as glibc and musl implement it) on the other."""
