"""Random C programs whose vfork child does set-up from the posix_spawn
mapping table, in forms that fail, repeat or depend on order, then execs
/bin/sh -c 'exec probe VIEW ...'.

The parent may run with standard descriptors closed, signals ignored or
blocked, and may hold a pipe and a file open (with or without
close-on-exec), so that the child's descriptors can alias each other.
"""
from __future__ import annotations

import random
import re

SHELL = '"exec \\"$0\\" \\"$@\\""'


class Program:
    def __init__(self, rng: random.Random, probe: str, view: str):
        self.rng = rng
        self.probe = probe
        self.view = view
        self.decls: list = ["pid_t pid;", "int status;"]
        self.parent: list = []
        self.child: list = []
        self.globals_: list = []
        self.opens = 0
        self.fds = ["0", "1", "2", "9"]
        self.gnu = rng.random() < 0.8
        self.spawnp = rng.random() < 0.5

    def pick(self, items):
        return self.rng.choice(items)

    def build(self) -> bytes:
        rng = self.rng
        for fd in ("0", "1", "2"):
            if rng.random() < 0.15:
                self.parent.append(f"close({fd});")
        if rng.random() < 0.3:
            self.parent.append("signal(SIGINT, SIG_IGN);")
        if rng.random() < 0.3:
            self.decls.append("sigset_t blk;")
            self.parent += ["sigemptyset(&blk);", "sigaddset(&blk, SIGUSR1);", "sigprocmask(SIG_BLOCK, &blk, NULL);"]
        if rng.random() < 0.8:
            self.decls.append("int p[2];")
            if self.gnu and rng.random() < 0.3:
                self.parent.append("if (pipe2(p, O_CLOEXEC) < 0)\n\t\treturn 1;")
            else:
                self.parent.append("if (pipe(p) < 0)\n\t\treturn 1;")
            self.fds += ["p[0]", "p[1]"]
        if rng.random() < 0.5:
            self.decls.append("int fa;")
            flags = self.pick(["O_RDONLY", "O_RDONLY | O_CLOEXEC"])
            self.parent.append(f'fa = open("data.txt", {flags});\n\tif (fa < 0)\n\t\treturn 1;')
            self.fds.append("fa")
        # Sometimes the vfork is in a helper taking two descriptors from its
        # caller: the tool cannot know whether they are open (or even -1).
        self.helper = rng.random() < 0.35
        if self.helper:
            self.call_args = [self.pick(self.fds[3:] + ["-1", "0", "1"]) for _ in range(2)]
            self.fds = ["0", "1", "2", "9", "a", "b"]
        self.uses_set = False
        for _ in range(rng.randint(0, 5)):
            self.child += self.statement()
        if self.uses_set:
            self.globals_.append("static sigset_t set;")
            self.parent += ["sigemptyset(&set);", "sigaddset(&set, SIGUSR2);"]
        self.child += self.exec_call()
        self.labelled = rng.random() < 0.15
        if rng.random() < 0.3:
            self.child.append('perror("exec");')
        self.child.append("_exit(127);")
        return self.text()

    def statement(self) -> list:
        out = self._statement()
        # `(void) close(fd);`, as BSD and glibc code write set-up calls.
        if len(out) == 1 and re.fullmatch(r"\w+\(.*\);", out[0]) and self.rng.random() < 0.2:
            out = ["(void) " + out[0]]
        return out

    def _statement(self) -> list:
        rng = self.rng
        kind = rng.choices(["close", "dup2", "checked_dup2", "open", "session", "signal", "mask", "chdir",
                            "umask"], [3, 4, 2, 5, 3, 3, 1, 2, 1])[0]
        fd = lambda: self.pick(self.fds)   # noqa: E731
        if kind == "close":
            return [f"close({fd()});"]
        if kind == "dup2":
            a = fd()
            b = a if rng.random() < 0.2 else fd()
            return [f"dup2({a}, {b});"]
        if kind == "checked_dup2":
            return [f"if (dup2({fd()}, {self.pick(['0', '1', '2'])}) < 0)\n\t\t\t_exit(126);"]
        if kind == "open":
            return self.open_group()
        if kind == "session":
            return [self.pick(["setsid();", "setpgid(0, 0);", "setpgrp();"])] if self.gnu else \
                [self.pick(["setpgid(0, 0);", "setpgrp();"])]
        if kind == "signal":
            return [self.pick(["signal(SIGINT, SIG_DFL);", "signal(SIGTERM, SIG_DFL);", "signal(SIGQUIT, SIG_DFL);",
                               "signal(SIGHUP, SIG_IGN);"])]
        if kind == "mask":
            self.uses_set = True
            return [f"sigprocmask(SIG_SETMASK, &set, {self.pick(['NULL', '(sigset_t *) NULL', '(sigset_t *)0'])});"]
        if kind == "chdir":
            return [self.pick(['chdir("sub");', 'if (chdir("sub") < 0)\n\t\t\t_exit(126);', 'chdir("missing");'])]
        return ["umask(077);"]

    def open_group(self) -> list:
        rng = self.rng
        self.opens += 1
        var = f"fd{self.opens}"
        self.decls.append(f"int {var};")
        path, flags, mode = self.pick([('"data.txt"', "O_RDONLY", None), ('"missing/x.txt"', "O_RDONLY", None),
                                       ('"out.txt"', "O_WRONLY | O_CREAT | O_TRUNC", "0644"),
                                       ('"/dev/null"', "O_RDWR", None)])
        if rng.random() < 0.4:
            flags += " | O_CLOEXEC"
        args = f"{path}, {flags}" + (f", {mode}" if mode else "")
        out = [f"{var} = open({args});"]
        check = rng.choice(["none", "short", "long"])
        if check == "short":
            out.append(f"if ({var} < 0)\n\t\t\t_exit(126);")
        elif check == "long":
            out.append(f'if ({var} == -1) {{\n\t\t\tperror("open");\n\t\t\t_exit(126);\n\t\t}}')
        target = self.pick(["0", "1", "2"])
        move = rng.choice(["plain", "guarded", "all", "leak"])
        if move == "plain":
            out += [f"dup2({var}, {target});", f"close({var});"]
        elif move == "guarded":
            out.append(f"if ({var} != {target}) {{\n\t\t\tdup2({var}, {target});\n\t\t\tclose({var});\n\t\t}}")
        elif move == "all":
            out += [f"dup2({var}, 0);", f"dup2({var}, 1);", f"dup2({var}, 2);", f"if ({var} > 2)\n\t\t\tclose({var});"]
        else:
            out.append(f"dup2({var}, {target});")
        return out

    def exec_call(self) -> list:
        rng = self.rng
        kind = rng.choice(["execl", "execv", "execle", "execlp", "execvp"])
        end = self.pick(["(char *)NULL", "(char *) 0", "(void *) 0", "(char *)(NULL)", "NULL"])
        arg = f'"{self.probe}", "{self.view}", "arg {kind}"'
        if kind in ("execv", "execvp"):
            self.decls.append(f'char *args[] = {{ "sh", "-c", {SHELL}, {arg}, NULL }};')
            prog = '"/bin/sh"' if kind == "execv" else '"sh"'
            return [f"{kind}({prog}, args);"]
        if kind == "execle":
            self.decls.append('char *envp[] = { "FZ_ENV=custom", "PATH=/usr/bin:/bin", NULL };')
            return [f'execle("/bin/sh", "sh", "-c", {SHELL}, {arg}, {end}, envp);']
        prog = '"/bin/sh"' if kind == "execl" else '"sh"'
        return [f'{kind}({prog}, "sh", "-c", {SHELL}, {arg}, {end});']

    def text(self) -> bytes:
        head = ("#define _GNU_SOURCE\n" if self.gnu else "") + \
            "#include <errno.h>\n#include <fcntl.h>\n#include <signal.h>\n#include <stdio.h>\n#include <unistd.h>\n" \
            "#include <sys/stat.h>\n#include <sys/wait.h>\n\n" + "".join(g + "\n" for g in self.globals_) + \
            ("\n" if self.globals_ else "")
        site_decls = ["pid_t pid;", "int status;"] + (["int tries = 0;"] if self.labelled else []) + [d for d in self.decls if d.startswith(
            ("int fd", "char *args", "char *envp"))]
        main_decls = [d for d in self.decls if d not in site_decls]
        site = "".join(f"\t{d}\n" for d in site_decls) + "\n"
        if not self.helper:
            site = "".join(f"\t{d}\n" for d in main_decls) + site + "".join(f"\t{s}\n" for s in self.parent)
        if self.labelled:
            # `again: pid = vfork();`, retried on EAGAIN (a fork rewrite keeps the label).
            site += "\tfflush(stdout);\nagain:\n\tpid = vfork();\n\tif (pid < 0) {\n" \
                "\t\tif (errno == EAGAIN && ++tries < 3)\n\t\t\tgoto again;\n\t\tperror(\"vfork\");\n\t\treturn 1;\n\t}\n"
        else:
            site += "\tfflush(stdout);\n\tpid = vfork();\n\tif (pid < 0) {\n\t\tperror(\"vfork\");\n\t\treturn 1;\n\t}\n"
        site += "\tif (pid == 0) {\n" + "".join(f"\t\t{s}\n" for s in self.child) + "\t}\n"
        site += "\twaitpid(pid, &status, 0);\n\treturn 0;\n"
        if not self.helper:
            return (head + "int main(void)\n{\n" + site + "}\n").encode()
        used = " ".join(self.child)
        unused = "".join(f"\t(void){v};\n" for v in ("a", "b") if not re.search(rf"\b{v}\b", used))
        helper = "static int run(int a, int b)\n{\n" + site.replace("\n\n", "\n" + unused + "\n", 1) + "}\n\n"
        main = "int main(void)\n{\n" + "".join(f"\t{d}\n" for d in main_decls if d not in site_decls)
        main += "\n" + "".join(f"\t{s}\n" for s in self.parent)
        main += f"\treturn run({self.call_args[0]}, {self.call_args[1]});\n}}\n"
        return (head + helper + main).encode()


def program(seed: int, probe: str, view: str) -> tuple:
    """(source, spawnp option) for ``seed``."""
    p = Program(random.Random(seed), probe, view)
    return p.build(), p.spawnp
