"""The `vfork-codemod` command (and `python -m codemod`): a run that
repeats the one before over an unchanged tree is answered by the replay
record (codemod.files.replay) before the rest of the tool is loaded; any
other goes to :func:`codemod.cli.main`."""
import sys


def main() -> int:
    """The command's exit status."""
    from codemod.files import replay
    status = replay.answer(sys.argv[1:])
    if status is not None:
        return status
    from codemod.cli import main as run
    from codemod.core.errors import EXIT_INTERRUPTED
    status = None
    try:
        status = run()
        # The run is over and reported: a Ctrl-C now (a terminal sends it
        # to the whole group) has nothing left to stop, and must not turn
        # the status into a death by signal on the interpreter's way out.
        import signal
        signal.signal(signal.SIGINT, signal.SIG_IGN)
    except KeyboardInterrupt:
        return status if status is not None else EXIT_INTERRUPTED
    return status
