"""What the Python analysis knows about calls in a child branch.

Keyed by qualified name as libcst resolves it through the module's imports
(`os.dup2` whether written `os.dup2` or `from os import dup2; dup2`).  A call
not listed here is unknown and makes the site a review site.
"""
from __future__ import annotations

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

# Writes that land in interpreter state the parent shares under vfork.
SHARED = {
    "builtins.print": "the interpreter's sys.stdout buffer shared with the parent",
    "sys.stdout.write": "the interpreter's sys.stdout buffer shared with the parent",
    "sys.stdout.flush": "the interpreter's sys.stdout buffer shared with the parent",
    "os.putenv": "os.environ, shared with the parent",
    "os.unsetenv": "os.environ, shared with the parent",
    "os.environ.update": "os.environ, shared with the parent",
    "os.environ.pop": "os.environ, shared with the parent",
    "sys.exit": "the parent's stack: SystemExit unwinds through the parent's frames",
    "builtins.exit": "the parent's stack: SystemExit unwinds through the parent's frames",
    "builtins.quit": "the parent's stack: SystemExit unwinds through the parent's frames",
}

DIAG = {"sys.stderr.write", "sys.stderr.flush", "traceback.print_exc"}
