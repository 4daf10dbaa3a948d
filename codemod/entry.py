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
    return run()
