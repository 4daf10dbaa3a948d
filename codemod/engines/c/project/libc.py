"""What the analysis knows about library functions called in a child region.

This is the one place that decides whether a call may appear in a vfork
child.  A function missing here is unknown, and an unknown call makes the
site a review site: the tool never guesses what a function writes.
"""
from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Optional


class Kind(enum.Enum):
    EXEC = "exec"          # exec family: replaces the image, returns on failure
    EXIT = "exit"          # never returns: ends the child
    DIAG = "diag"          # diagnostics; allowed in a failure tail
    SETUP = "setup"        # maps to a posix_spawn file action or attribute
    SAFE = "safe"          # writes nothing the parent shares (besides out args)
    SHARED = "shared"      # writes process memory the parent shares under vfork
    ESCAPE = "escape"      # transfers control out of the region


@dataclass(frozen=True)
class Spec:
    """What a call does, as far as a vfork child is concerned."""

    kind: Kind
    # Indexes of pointer arguments the function writes through.
    out_args: tuple = ()
    # For SHARED: what it writes, for the reason text.
    writes: str = ""
    # Project code (codemod.engines.c.proof.summaries): where it is defined,
    # ("`die()`", "src/util.c:12"); a reason a child may not call it
    # (kind, fields); a reason posix_spawn cannot run it; a macro to expand
    # at the call site; whether it ends in exit() (flushing stdio), or works
    # on stdio or the heap on its way out; whether it may exec; whether it
    # ends the process without ever exec'ing (a die(): what it does happens
    # only in a child that failed).
    origin: tuple = ()
    review: Optional[tuple] = None
    beyond: Optional[tuple] = None
    macro: Optional[object] = None
    flushes: bool = False
    execs: bool = False
    dies: bool = False
    # Where the fact comes from (man page or libc source), for the entries added from project use.
    cite: str = field(default="", compare=False)


@dataclass(frozen=True)
class ExecSpec:
    """How an exec function maps to posix_spawn."""

    spawn: str           # posix_spawn or posix_spawnp
    list_form: bool      # execl*: arguments are a NULL-terminated list
    has_env: bool        # the last argument is envp


EXECS = {
    "execv": ExecSpec("posix_spawn", False, False),
    "execve": ExecSpec("posix_spawn", False, True),
    "execvp": ExecSpec("posix_spawnp", False, False),
    "execvpe": ExecSpec("posix_spawnp", False, True),
    "execl": ExecSpec("posix_spawn", True, False),
    "execle": ExecSpec("posix_spawn", True, True),
    "execlp": ExecSpec("posix_spawnp", True, False),
}

# Functions whose output goes to a stream argument: index of the stream.
STREAM_ARG = {"fprintf": 0, "vfprintf": 0, "fputs": 1, "fputc": 1, "putc": 1, "fwrite": 3}
# Functions whose output goes to a file descriptor argument: index of the fd.
FD_ARG = {"write": 0, "dprintf": 0}

_SHARED_STDIO = "the stdio buffers shared with the parent"
_SHARED_HEAP = "the allocator state shared with the parent"
_SHARED_ENV = "environ, shared with the parent"
_SHARED_LOG = "syslog's connection state (its socket and flags), shared with the parent"

# The exits an exec-failure tail may end in and still become posix_spawn:
# they say nothing (a failed spawn reports to the parent instead).
SILENT_EXITS = frozenset({"_exit", "_Exit", "exit"})

_TABLE: dict[str, Spec] = {
    **{name: Spec(Kind.EXEC) for name in EXECS},
    "fexecve": Spec(Kind.EXEC), "execveat": Spec(Kind.EXEC),
    "_exit": Spec(Kind.EXIT, dies=True), "_Exit": Spec(Kind.EXIT, dies=True),
    "exit": Spec(Kind.EXIT, dies=True), "abort": Spec(Kind.EXIT, dies=True),
    # Diagnostics.  Stream functions are DIAG only when the stream is
    # stderr (the analysis checks STREAM_ARG); fd functions touch no memory.
    "perror": Spec(Kind.DIAG), "psignal": Spec(Kind.DIAG),
    "strerror": Spec(Kind.DIAG), "strlen": Spec(Kind.DIAG),
    **{name: Spec(Kind.DIAG) for name in STREAM_ARG},
    **{name: Spec(Kind.DIAG) for name in FD_ARG},
    "writev": Spec(Kind.DIAG, cite="writev(2): writes iovcnt buffers of data described by iov to the file "
                   "associated with the file descriptor fd; it reads the buffers and writes no memory"),
    # posix_spawn-able set-up.
    "dup2": Spec(Kind.SETUP), "close": Spec(Kind.SETUP), "open": Spec(Kind.SETUP),
    "setpgid": Spec(Kind.SETUP), "signal": Spec(Kind.SETUP),
    "sigaction": Spec(Kind.SETUP, out_args=(2,)),
    "sigprocmask": Spec(Kind.SETUP, out_args=(2,)),
    "pthread_sigmask": Spec(Kind.SETUP, out_args=(2,)),
    "chdir": Spec(Kind.SETUP), "setsid": Spec(Kind.SETUP), "setpgrp": Spec(Kind.SETUP),
    # Process state that is the child's own under vfork too.
    **{name: Spec(Kind.SAFE) for name in (
        "umask", "setrlimit", "nice", "setuid", "setgid", "seteuid", "setegid",
        "setreuid", "setregid", "setresuid", "setresgid", "setgroups", "initgroups",
        "chroot", "fchdir", "alarm", "sleep", "usleep", "kill", "raise",
        "dup", "openat", "creat", "closefrom", "setpriority", "prctl",
        "getpid", "getppid", "getuid", "geteuid", "getgid", "getegid", "getpgrp",
        "isatty", "access", "getenv", "tcsetpgrp",
        "strcmp", "strncmp", "strchr", "strrchr", "strstr", "atoi", "sysconf",
        "sigismember",
    )},
    "sigemptyset": Spec(Kind.SAFE, out_args=(0,)),
    "sigfillset": Spec(Kind.SAFE, out_args=(0,)),
    "sigaddset": Spec(Kind.SAFE, out_args=(0,)),
    "sigdelset": Spec(Kind.SAFE, out_args=(0,)),
    "dup3": Spec(Kind.SAFE),
    "ioctl": Spec(Kind.SAFE, out_args=(2,)),
    "fcntl": Spec(Kind.SAFE, out_args=(2,)),
    "pipe": Spec(Kind.SAFE, out_args=(0,)),
    "read": Spec(Kind.SAFE, out_args=(1,)),
    "getrlimit": Spec(Kind.SAFE, out_args=(1,)),
    "memset": Spec(Kind.SAFE, out_args=(0,)),
    "memcpy": Spec(Kind.SAFE, out_args=(0,)),
    "memmove": Spec(Kind.SAFE, out_args=(0,), cite="memmove(3): copies n bytes from src to dest (the areas "
                    "may overlap); writes only dest"),
    "strcpy": Spec(Kind.SAFE, out_args=(0,)),
    "strncpy": Spec(Kind.SAFE, out_args=(0,)),
    "snprintf": Spec(Kind.SAFE, out_args=(0,)),
    "sprintf": Spec(Kind.SAFE, out_args=(0,)),
    "vsnprintf": Spec(Kind.SAFE, out_args=(0,), cite="vsnprintf(3): writes at most size bytes to str; glibc "
                      "libio/vsnprintf.c formats into the caller's buffer"),
    "vsprintf": Spec(Kind.SAFE, out_args=(0,), cite="vsprintf(3): writes to str; glibc libio/iovsprintf.c"),
    # Memory the parent shares under vfork.
    **{name: Spec(Kind.SHARED, writes=_SHARED_STDIO) for name in (
        "printf", "vprintf", "puts", "putchar", "fflush", "fclose", "fopen",
        "fdopen", "freopen", "setvbuf", "setbuf",
    )},
    **{name: Spec(Kind.SHARED, writes=_SHARED_HEAP) for name in (
        "malloc", "calloc", "realloc", "free", "strdup", "strndup", "asprintf", "vasprintf",
    )},
    **{name: Spec(Kind.SHARED, writes=_SHARED_ENV) for name in (
        "setenv", "unsetenv", "putenv", "clearenv",
    )},
    **{name: Spec(Kind.SHARED, writes=_SHARED_LOG, cite="syslog(3): openlog() is called on first use when "
                  "the log is not open; glibc misc/syslog.c keeps the socket and its state in static variables")
       for name in ("syslog", "vsyslog", "openlog", "closelog")},
    # Added for project code seen in BSD and glibc trees; each with its source.
    **{name: Spec(Kind.EXIT, flushes=True, dies=True, cite="err(3): the err() functions do not return, but exit with the "
                  "value of the argument eval (exit(3), which flushes stdio); glibc misc/err.c")
       for name in ("err", "errx", "verr", "verrx", "errc", "verrc")},
    **{name: Spec(Kind.DIAG, cite="err(3): the warn() functions display a formatted error message on the "
                  "standard error output; glibc misc/err.c writes it with __fxprintf(stderr, ...)")
       for name in ("warn", "warnx", "vwarn", "vwarnx", "warnc", "vwarnc")},
    "sigset": Spec(Kind.SAFE, cite="sigset(3): System V API, sets the disposition of sig (glibc "
                   "signal/sigset.c: sigaction and sigprocmask on the calling process)"),
    **{name: Spec(Kind.SAFE, cite="sigset(3): sighold/sigrelse add sig to or remove it from the signal "
                  "mask (glibc signal/sighold.c, sigrelse.c: sigprocmask)") for name in ("sighold", "sigrelse")},
    "sigignore": Spec(Kind.SAFE, cite="sigset(3): sigignore sets the disposition of sig to SIG_IGN "
                      "(glibc signal/sigignore.c: sigaction)"),
    "fileno": Spec(Kind.SAFE, cite="fileno(3): returns the descriptor of the stream; glibc libio/fileno.c "
                   "reads fp->_fileno, takes no lock and writes only errno (EBADF)"),
    "gettid": Spec(Kind.SAFE, cite="gettid(2): returns the caller's thread ID; always successful"),
    "ptrace": Spec(Kind.SAFE, cite="ptrace(2): PTRACE_TRACEME makes the calling process a tracee of its "
                   "parent; the other requests act on another process (the analysis allows only TRACEME)"),
    "TEMP_FAILURE_RETRY": Spec(Kind.SAFE, beyond=("retry-macro", {}),
                               cite="glibc unistd.h: a statement expression that evaluates its argument again "
                               "while it is -1 with errno EINTR (a loop)"),
    **{name: Spec(Kind.SAFE, cite="stdarg(3): va_start, va_copy and va_end work on the va_list object named "
                  "as their first argument (a local of the variadic function)")
       for name in ("va_start", "va_end", "va_copy")},
    "gettimeofday": Spec(Kind.SAFE, out_args=(0, 1), cite="gettimeofday(2): fills the timeval and timezone "
                         "it is given"),
    "clock_gettime": Spec(Kind.SAFE, out_args=(1,), cite="clock_gettime(2): fills the timespec it is given"),
    "nanosleep": Spec(Kind.SAFE, out_args=(1,), cite="nanosleep(2): suspends the calling thread; when "
                      "interrupted it stores the time left where rem points (if not NULL)"),
    "clock_nanosleep": Spec(Kind.SAFE, out_args=(3,), cite="clock_nanosleep(2): as nanosleep against the given "
                            "clock; stores the time left where remain points (if not NULL)"),
    "sigpending": Spec(Kind.SAFE, out_args=(0,), cite="sigpending(2): stores the set of the calling thread's "
                       "pending signals where set points"),
    "time": Spec(Kind.SAFE, out_args=(0,), cite="time(2): returns the time, and stores it where tloc points "
                 "when tloc is not NULL"),
    "reboot": Spec(Kind.SAFE, cite="reboot(2): a system call; it changes no memory of the caller"),
    **{name: Spec(Kind.SAFE, cite="unlink(2), mkdir(2), chmod(2), chown(2), rename(2), link(2), symlink(2), "
                  "truncate(2): system calls on the file system; they read their arguments and change no "
                  "memory of the caller (errno aside)")
       for name in ("unlink", "unlinkat", "rmdir", "mkdir", "mkdirat", "chmod", "fchmod", "chown", "fchown",
                    "lchown", "rename", "link", "symlink", "truncate", "ftruncate")},
    "lseek": Spec(Kind.SAFE, cite="lseek(2): repositions the file offset of the open file description; "
                  "a system call that changes no memory of the caller"),
    **{name: Spec(Kind.SAFE, cite="sigblock(3), sigsetmask(3): 4.2BSD interfaces that change the calling "
                  "process's signal mask and return the old one (glibc signal/sigblock.c, sigsetmask.c: "
                  "sigprocmask)") for name in ("sigblock", "sigsetmask")},
    **{name: Spec(Kind.SHARED, writes=_SHARED_HEAP, cite="getpwnam(3): the return value may point to a static "
                  "area, overwritten by later calls; glibc's NSS allocates")
       for name in ("getpwnam", "getpwuid", "getgrnam", "getgrgid", "getpwent", "getgrent")},
    "longjmp": Spec(Kind.ESCAPE), "siglongjmp": Spec(Kind.ESCAPE), "_longjmp": Spec(Kind.ESCAPE),
}

STDERR_STREAMS = {"stderr"}
# The reason kind (codemod.core.reasons) of a call that writes shared memory, by what it writes.
WRITES_KIND = {_SHARED_STDIO: "writes-stdio", _SHARED_HEAP: "writes-heap", _SHARED_ENV: "writes-environ",
               _SHARED_LOG: "writes-syslog"}


EXEC_WRAPPER = Spec(Kind.EXIT, writes="project exec wrapper")


def lookup(name: str, exec_wrappers=(), safe_functions=(), die_functions=()) -> Optional[Spec]:
    """The table entry for ``name``, or None for an unknown function.
    Project functions from the configuration come first: `exec-wrappers`
    never return (like _exit), `safe-functions` write nothing the parent
    uses, `die-functions` end the process without exec'ing (whatever they
    do, they do in a child that failed) and may call exit()."""
    if name in exec_wrappers:
        return EXEC_WRAPPER
    if name in safe_functions:
        return Spec(Kind.SAFE)
    if name in die_functions:
        where = "the configuration's die-functions"
        return Spec(Kind.EXIT, origin=(f"`{name}()`", where), beyond=("helper-call", {"where": where}),
                    flushes=True, dies=True)
    return _TABLE.get(name)

