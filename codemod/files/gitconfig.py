"""What git's configuration says the walk must honour: the
core.excludesFile of a repository.

Imports only ``os`` (``subprocess`` when git is asked): the warm fast path
(codemod.files.replay) asks it before the rest of the tool is loaded.
"""
from __future__ import annotations

import os

_EXCLUDES_FILES: dict = {}


def forget_git_config() -> None:
    """Ask git again for core.excludesFile (the answer is kept for the
    process; a caller running many walks, as the tests do, may need this)."""
    _EXCLUDES_FILES.clear()


def global_excludes_file(root: str):
    """core.excludesFile as git resolves it for the repository at ``root``
    (git's default, $XDG_CONFIG_HOME/git/ignore, when it is unset)."""
    if root not in _EXCLUDES_FILES:
        import subprocess
        found = None
        try:
            proc = subprocess.run(["git", "config", "--path", "--get", "core.excludesFile"], cwd=root,
                                  capture_output=True, text=True, timeout=10)
            found = proc.stdout.strip() or None
        except (OSError, subprocess.SubprocessError):
            pass
        if found is None:
            home = os.environ.get("XDG_CONFIG_HOME") or os.path.join(os.path.expanduser("~"), ".config")
            found = os.path.join(home, "git", "ignore")
        _EXCLUDES_FILES[root] = found
    return _EXCLUDES_FILES[root]
