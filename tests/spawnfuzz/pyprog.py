"""Random Python programs whose ctypes vfork child does set-up that
os.posix_spawn can express, in forms that fail, repeat or depend on order,
then execs /bin/sh -c 'exec probe VIEW ...'."""
from __future__ import annotations

import random

SHELL = "'exec \"$0\" \"$@\"'"


def program(seed: int, probe: str, view: str) -> bytes:
    rng = random.Random(seed)
    parent, child = [], []
    fds = ["0", "1", "2", "9"]
    for fd in ("0", "1", "2"):
        if rng.random() < 0.15:
            parent.append(f"os.close({fd})")
    if rng.random() < 0.3:
        parent.append("signal.signal(signal.SIGINT, signal.SIG_IGN)")
    if rng.random() < 0.3:
        parent.append("signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGUSR1})")
    if rng.random() < 0.8:
        parent.append(rng.choice(["r, w = os.pipe()", "r, w = os.pipe2(0)"]))
        fds += ["r", "w"]
    if rng.random() < 0.5:
        parent.append('fa = os.open("data.txt", os.O_RDONLY)')
        if rng.random() < 0.5:
            parent.append("os.set_inheritable(fa, True)")
        fds.append("fa")
    opens = 0
    for _ in range(rng.randint(0, 5)):
        kind = rng.choices(["close", "dup2", "open", "session", "signal", "mask", "chdir"], [3, 4, 4, 3, 3, 1, 1])[0]
        if kind == "close":
            child.append(f"os.close({rng.choice(fds)})")
        elif kind == "dup2":
            a = rng.choice(fds)
            child.append(f"os.dup2({a}, {a if rng.random() < 0.2 else rng.choice(fds)})")
        elif kind == "open":
            opens += 1
            var = f"fd{opens}"
            path, flags = rng.choice([('"data.txt"', "os.O_RDONLY"), ('"missing/x.txt"', "os.O_RDONLY"),
                                      ('"out.txt"', "os.O_WRONLY | os.O_CREAT | os.O_TRUNC"),
                                      ('"/dev/null"', "os.O_RDWR")])
            if rng.random() < 0.4:
                flags += " | os.O_CLOEXEC"
            child.append(f"{var} = os.open({path}, {flags}, 0o644)")
            target = rng.choice(["0", "1", "2"])
            move = rng.choice(["plain", "guarded", "all", "leak"])
            if move == "plain":
                child += [f"os.dup2({var}, {target})", f"os.close({var})"]
            elif move == "guarded":
                child += [f"if {var} != {target}:", f"    os.dup2({var}, {target})", f"    os.close({var})"]
            elif move == "all":
                child += [f"os.dup2({var}, 0)", f"os.dup2({var}, 1)", f"os.dup2({var}, 2)",
                          f"if {var} > 2:", f"    os.close({var})"]
            else:
                child.append(f"os.dup2({var}, {target})")
        elif kind == "session":
            child.append(rng.choice(["os.setsid()", "os.setpgid(0, 0)", "os.setpgrp()"]))
        elif kind == "signal":
            child.append(rng.choice(["signal.signal(signal.SIGINT, signal.SIG_DFL)",
                                     "signal.signal(signal.SIGTERM, signal.SIG_DFL)",
                                     "signal.signal(signal.SIGHUP, signal.SIG_IGN)"]))
        elif kind == "mask":
            child.append("signal.pthread_sigmask(signal.SIG_SETMASK, {signal.SIGUSR2})")
        else:
            child.append(rng.choice(['os.chdir("sub")', 'os.umask(0o077)']))
    arg = f'"{probe}", "{view}", "arg py"'
    exec_call = rng.choice([
        f'os.execv("/bin/sh", ["sh", "-c", {SHELL}, {arg}])',
        f'os.execl("/bin/sh", "sh", "-c", {SHELL}, {arg})',
        f'os.execvp("sh", ["sh", "-c", {SHELL}, {arg}])',
        f'os.execve("/bin/sh", ["sh", "-c", {SHELL}, {arg}], {{"FZ_ENV": "custom", "PATH": "/usr/bin:/bin"}})',
    ])
    child += [exec_call, "os._exit(127)"]
    lines = ["import ctypes", "import os", "import signal", "", "", "def main():"]
    lines += [f"    {s}" for s in parent]
    lines += ["    libc = ctypes.CDLL(None)", "    pid = libc.vfork()", "    if pid == -1:",
              "        raise OSError(ctypes.get_errno(), \"vfork failed\")", "    if pid == 0:"]
    lines += [f"        {s}" for s in child]
    lines += ["    os.waitpid(pid, 0)", "", "", "main()", ""]
    return "\n".join(lines).encode()
