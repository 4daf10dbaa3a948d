"""git for `apply --commit` and campaigns: the work tree, its state, branches, commits.

Every call runs the git on PATH with the user's configuration; a failure
raises :class:`GitError` with git's own message.
"""
from __future__ import annotations

import os
import subprocess
from typing import Optional

FALLBACK_NAME = "vfork-codemod"
FALLBACK_EMAIL = "vfork-codemod@localhost"


class GitError(Exception):
    """A git command failed; the message says which and why."""


def git(args: list, cwd: str, check: bool = True, env: Optional[dict] = None,
        input: Optional[bytes] = None) -> subprocess.CompletedProcess:
    try:
        proc = subprocess.run(["git", *args], cwd=cwd, capture_output=True, env=env, input=input)
    except OSError as exc:
        raise GitError(f"cannot run git: {exc.strerror}")
    if check and proc.returncode != 0:
        raise GitError(f"git {args[0]} failed: {_reason(proc)}")
    return proc


def _reason(proc) -> str:
    """git's own reason: its `fatal:` or `error:` line, else its last line."""
    lines = [ln.strip() for ln in proc.stderr.decode("utf-8", "replace").splitlines() if ln.strip()]
    for ln in lines:
        if ln.startswith(("fatal:", "error:")):
            return ln
    return lines[-1] if lines else f"exit status {proc.returncode}"


def root_of(path: str) -> Optional[str]:
    """The top of the work tree holding ``path``, or None outside one."""
    folder = path if os.path.isdir(path) else os.path.dirname(os.path.abspath(path)) or "."
    proc = git(["rev-parse", "--show-toplevel"], folder, check=False)
    return proc.stdout.decode("utf-8", "surrogateescape").strip() if proc.returncode == 0 else None


def dirty(root: str) -> list:
    """Tracked files with changes not committed (staged or not), relative to ``root``."""
    out = git(["status", "--porcelain", "-z", "--untracked-files=no"], root).stdout
    return [entry[3:].decode("utf-8", "surrogateescape") for entry in out.split(b"\0") if len(entry) > 3]


def head(root: str) -> Optional[str]:
    proc = git(["rev-parse", "--verify", "-q", "HEAD"], root, check=False)
    return proc.stdout.decode().strip() or None


def current_branch(root: str) -> Optional[str]:
    proc = git(["symbolic-ref", "-q", "--short", "HEAD"], root, check=False)
    return proc.stdout.decode().strip() or None


def switch(root: str, branch: str) -> bool:
    """Check out ``branch``, creating it at HEAD when it does not exist;
    True when it was created."""
    git(["check-ref-format", "--branch", branch], root)
    exists = git(["rev-parse", "--verify", "-q", f"refs/heads/{branch}"], root, check=False).returncode == 0
    if current_branch(root) == branch:
        return False
    git(["checkout", "-q", branch] if exists else ["checkout", "-q", "-b", branch], root)
    return not exists


def _env(root: str) -> Optional[dict]:
    """The environment for a commit: the repository's identity, or the
    tool's when git has none (a fresh clone on a build machine)."""
    env = dict(os.environ)
    for who in ("AUTHOR", "COMMITTER"):
        if git(["var", f"GIT_{who}_IDENT"], root, check=False).returncode != 0:
            env.setdefault(f"GIT_{who}_NAME", FALLBACK_NAME)
            env.setdefault(f"GIT_{who}_EMAIL", FALLBACK_EMAIL)
    return env


def commit(root: str, paths: list, message: str) -> str:
    """Commit exactly ``paths`` (already written) with ``message``; the new commit id."""
    rel = [os.path.relpath(os.path.abspath(p), root) for p in paths]
    git(["add", "--", *rel], root)
    # The repository's hooks run, as for any commit made there.
    git(["commit", "-q", "-F", "-", "--", *rel], root, env=_env(root), input=message.encode("utf-8"))
    return head(root)
