"""What the Python analysis knows about calls in a child branch.

Keyed by qualified name as libcst resolves it through the module's imports
(`os.dup2` whether written `os.dup2` or `from os import dup2; dup2`).  A call
not listed here is unknown and makes the site a review site.
"""
from __future__ import annotations

import libcst as cst

EXECS = {
    # name: (spawn function, list form, takes env)
    "os.execv": ("posix_spawn", False, False),
    "os.execve": ("posix_spawn", False, True),
    "os.execvp": ("posix_spawnp", False, False),
    "os.execvpe": ("posix_spawnp", False, True),
    "os.execl": ("posix_spawn", True, False),
    "os.execle": ("posix_spawn", True, True),
    "os.execlp": ("posix_spawnp", True, False),
    "os.execlpe": ("posix_spawnp", True, True),
}

EXITS = {"os._exit", "os.abort"}

# Set-up that os.posix_spawn can express (file_actions or keyword attributes).
SETUP = {"os.dup2", "os.close", "os.open", "os.setsid", "os.setpgid", "signal.signal",
         "signal.pthread_sigmask"}

# Process state that stays the child's own: fine after fork, beyond posix_spawn.
SAFE = {
    "os.chdir", "os.fchdir", "os.umask", "os.nice", "os.setuid", "os.setgid", "os.seteuid",
    "os.setegid", "os.setreuid", "os.setregid", "os.setgroups", "os.initgroups", "os.chroot",
    "os.closerange", "os.set_inheritable", "os.set_blocking", "os.setpgrp", "os.kill",
    "os.getpid", "os.getppid", "os.getuid", "os.geteuid", "os.getgid", "os.getegid",
    "os.tcsetpgrp", "os.dup", "os.sched_setaffinity", "os.setpriority", "os.access",
    "os.fsencode", "os.fspath", "os.path.join", "os.path.exists", "os.path.isdir",
    "resource.setrlimit", "signal.alarm", "signal.siginterrupt",
    *(f"builtins.{name}" for name in (
        "len", "str", "int", "bytes", "range", "list", "tuple", "repr", "isinstance",
        "min", "max", "sorted", "enumerate", "zip", "bool", "abs")),
}

# What a call writes that the parent shares, and its reason kind (codemod.core.reasons).
SHARED = {
    "builtins.print": ("the interpreter's sys.stdout buffer shared with the parent", "writes-stdio"),
    "sys.stdout.write": ("the interpreter's sys.stdout buffer shared with the parent", "writes-stdio"),
    "sys.stdout.flush": ("the interpreter's sys.stdout buffer shared with the parent", "writes-stdio"),
    "os.putenv": ("os.environ, shared with the parent", "writes-environ"),
    "os.unsetenv": ("os.environ, shared with the parent", "writes-environ"),
    "os.environ.update": ("os.environ, shared with the parent", "writes-environ"),
    "os.environ.pop": ("os.environ, shared with the parent", "writes-environ"),
    "sys.exit": ("the parent's stack: SystemExit unwinds through the parent's frames", "writes-stack"),
    "builtins.exit": ("the parent's stack: SystemExit unwinds through the parent's frames", "writes-stack"),
    "builtins.quit": ("the parent's stack: SystemExit unwinds through the parent's frames", "writes-stack"),
}

DIAG = {"sys.stderr.write", "sys.stderr.flush", "traceback.print_exc"}


def prints_to_stderr(call) -> bool:
    """`print(..., file=sys.stderr)`: diagnostics, not the shared stdout buffer."""
    return any(a.keyword is not None and a.keyword.value == "file"
               and isinstance(a.value, cst.Attribute) and a.value.attr.value == "stderr"
               and isinstance(a.value.value, cst.Name) and a.value.value.value == "sys"
               for a in call.args)
