"""Exit codes and the errors that end a command, kept in one place."""
from __future__ import annotations

EXIT_OK = 0          # nothing to do, or apply succeeded
EXIT_FINDINGS = 1    # scan found sites to fix or review; diff printed changes
EXIT_ERROR = 2       # a path or file could not be processed, or bad usage
EXIT_INTERRUPTED = 130   # Ctrl-C: the shell's convention for SIGINT
EXIT_BROKEN_PIPE = 141   # the reader of standard output went away (`scan | head`): SIGPIPE's


class UsageError(Exception):
    """A problem with the command line itself; reported before any work."""



class OutputError(Exception):
    """An output folder or file that cannot be written; the message names it."""
