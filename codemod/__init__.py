"""vfork-codemod: find vfork(2) and rewrite it to posix_spawn or fork.

The public surface is the command line (``vfork-codemod``, see :mod:`codemod.cli`)
and :func:`codemod.pipeline.process_source`, which turns one file's bytes into a
:class:`codemod.core.model.FileResult`.
"""

__version__ = "0.1.0"
