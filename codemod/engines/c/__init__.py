"""The C engine: tree-sitter finds vfork sites, the analysis proves what each
child region does, and the rewriters turn provable ones into posix_spawn or fork."""
