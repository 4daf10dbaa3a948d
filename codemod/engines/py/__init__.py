"""The Python engine: libcst finds vfork reached through ctypes and rewrites it
to os.posix_spawn or os.fork, leaving formatting elsewhere byte-identical.

Registered here without importing libcst; :meth:`PyEngine.load` does."""
from __future__ import annotations

import re

from codemod.engines.base import Engine, register


@register
class PyEngine(Engine):
    language = "python"
    label = "Python"
    extensions = (".py",)
    column_unit = "code points"
    fork_name = "os.fork"
    comment_markers = ("#",)

    def options(self, run):
        """The analysis options for a run (codemod.core.options.RunOptions)."""
        from codemod.engines.py.analysis import Options
        return Options(exec_wrappers=run.exec_wrappers, safe_functions=run.safe_functions)

    def mentions(self, source: bytes, needles: tuple) -> bool:
        """vfork is reached only as an attribute of a handle (`libc.vfork`):
        a module without `.vfork` anywhere (`getattr(dll, "vfork")`, a
        comment) has no site and no note, and is not parsed.  Configured
        aliases keep every file."""
        if any(n != b"vfork" for n in needles):
            return True
        return _ATTRIBUTE.search(source) is not None

    def load(self, source: bytes, path: str, run):
        import libcst
        from codemod.core.model import LoadError
        from codemod.engines.py.engine import PyFile
        try:
            return PyFile(source, path, self.options(run))
        except libcst.ParserSyntaxError as exc:
            return LoadError(_syntax_error(source, exc))
        except (UnicodeDecodeError, LookupError, SyntaxError) as exc:
            return LoadError(f"cannot decode (is a PEP 263 coding line missing?): {exc}")

    def guard(self, work, run, failed):
        """libcst can crash the process or use gigabytes on hostile input:
        the analysis runs in a memory-capped child (codemod.engines.py.guard)."""
        self.preload()       # once, so that each forked child starts with it
        from codemod.engines.py.guard import run_isolated
        return run_isolated(work, run.max_parse_memory, failed)

    def preload(self) -> None:
        import codemod.engines.py.engine  # noqa: F401


_ATTRIBUTE = re.compile(rb"\.[\s\\]*vfork(?![A-Za-z0-9_])")


def _syntax_error(source: bytes, exc) -> str:
    """Where and why the file is not Python 3: CPython's own message and
    position when it refuses the file too (libcst reports some tokenizer
    errors at line 1), else libcst's."""
    import ast
    import warnings
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ast.parse(source)
    except SyntaxError as err:
        if err.lineno:
            plain = type(err) is SyntaxError
            what = "syntax error" if plain else type(err).__name__
            return f"cannot parse as Python 3: {what} at line {err.lineno}, column {max(err.offset or 1, 1)}: " \
                   f"{err.msg}" + (" (Python 2 code, or not Python)" if plain else "")
    except (ValueError, RecursionError, MemoryError):
        pass
    line, col = libcst_position(exc)
    return f"cannot parse as Python 3: syntax error at line {line}, column {max(col, 1)} " \
           "(Python 2 code, or not Python)"


def libcst_position(exc) -> tuple:
    """(line, column), 1-based, of a libcst parse error.  The native parser
    of the pinned libcst sets ``raw_line``/``raw_column`` to the start of the
    statement it gave up on (`x = (1,` reports line 1, column 0 when the
    error is at line 2) and gives the real position only in its message
    ("parser error: error at 2:0: ..."), so the message is read when it has
    one; tests/cli/test_robustness.py pins the behaviour."""
    where = re.search(r"error at (\d+):(\d+)", exc.message)
    return (int(where.group(1)), int(where.group(2)) + 1) if where else (exc.raw_line, exc.raw_column + 1)
