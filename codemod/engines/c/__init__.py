"""The C engine: tree-sitter finds vfork sites, the analysis proves what each
child region does, and the rewriters turn provable ones into posix_spawn or fork.

Registered here without importing tree-sitter; :meth:`CEngine.load` does."""
from __future__ import annotations

from codemod.engines.base import Engine, register


@register
class CEngine(Engine):
    language = "c"
    label = "C"
    extensions = (".c", ".h")
    column_unit = "bytes"
    comment_markers = ("//", "/*")
    learns = True                # the project index: codemod.engines.c.project.index
    preload_early = True         # tree-sitter loads in about 0.1 s; libcst (Python) takes three times that

    def mentions(self, source: bytes, needles: tuple) -> bool:
        from codemod.engines.c.frontend.prefilter import mentions
        return mentions(source, needles)

    def options(self, run):
        """The analysis options for a run (codemod.core.options.RunOptions)."""
        from codemod.engines.c.proof.analysis import Options
        return Options(target=run.target, aliases=run.aliases, exec_wrappers=run.exec_wrappers,
                       safe_functions=run.safe_functions, die_functions=run.die_functions, spawnp=run.spawnp,
                       strict_exits=run.strict_exits, project=run.knowledge,
                       defines=run.defines, undefines=run.undefines)

    def learn(self, tree, results: list, run, analyse):
        """The project index for this run (see codemod.engines.c.project.index)."""
        from codemod.engines.c.project.index import learn
        return learn(tree, results, run, analyse)

    def describe(self, knowledge, options, tree) -> dict:
        from codemod.engines.c.proof.describe import describe
        return describe(knowledge, options, tree)

    def load(self, source: bytes, path: str, run):
        from codemod.core.model import Skip
        from codemod.engines.c.frontend import cost
        ranges = cost.c_ranges(source, run.max_parse_memory, run.needles)
        if isinstance(ranges, Skip):
            return ranges
        from codemod.engines.c.engine import CFile
        options = self.options(run)
        entry = run.compile_db.get(_absolute(path)) if run.compile_db else None
        if entry is not None:
            # The file's own -D and -U come first; the command line's win over them.
            from dataclasses import replace
            from codemod.core.options import merge_macros
            options = replace(options, compile=entry, **merge_macros((entry.defines, entry.undefines),
                                                                     (run.defines, run.undefines)))
        return CFile(source, path, options, ranges)

    def preload(self) -> None:
        """Import the engine and what an analysis imports late, and compile
        the queries: done while the first filter still reads (and before
        workers fork), so the first file analysed does not pay for it."""
        import codemod.core.limits  # noqa: F401 - imported for its side effect
        import codemod.engines.c.frontend.cost  # noqa: F401
        import codemod.core.suppress  # noqa: F401
        import codemod.engines.c.engine  # noqa: F401
        import codemod.engines.c.proof.summaries  # noqa: F401
        from codemod.engines.c.frontend import syntax
        from codemod.engines.c.frontend.grammars import query_files
        for path in query_files("c"):
            syntax.query(path.stem)


def _absolute(path: str) -> str:
    import os
    return os.path.normpath(os.path.abspath(path))
