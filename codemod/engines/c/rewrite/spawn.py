"""Render the posix_spawn block that replaces a vfork call."""
from __future__ import annotations

from dataclasses import dataclass

from codemod.engines.c.proof.spawnmatch import SpawnPlan
from codemod.engines.c.frontend.syntax import text

_ATTR_FLAGS = {
    "setpgroup": "POSIX_SPAWN_SETPGROUP",
    "setsigdef": "POSIX_SPAWN_SETSIGDEF",
    "setsigmask": "POSIX_SPAWN_SETSIGMASK",
    "setsid": "POSIX_SPAWN_SETSID",
}
_FILE_ACTIONS = {"adddup2", "addclose", "addopen", "addchdir_np"}


@dataclass
class Names:
    """Identifiers of the generated code, made unique within the file."""

    fa: str = "spawn_fa"
    attr: str = "spawn_attr"
    sigdef: str = "spawn_sigdef"
    argv: str = "spawn_argv"
    err: str = "spawn_err"
    pid: str = "spawn_pid"

    @classmethod
    def avoiding(cls, taken) -> "Names":
        names = cls()
        for field in vars(names):
            setattr(names, field, free_name(getattr(names, field), taken))
        return names


def free_name(base: str, taken) -> str:
    """``base``, or ``base2``, ``base3``... : the first not ``in taken``."""
    candidate, n = base, 1
    while candidate in taken:
        n += 1
        candidate = f"{base}{n}"
    return candidate


def render(plan: SpawnPlan, result: str, direct_pid: bool, names: Names, null: str) -> list:
    """The block as a list of (depth, line) pairs; depth 0 is the statement's own level."""
    ex = plan.exec
    file_actions = [a for a in plan.actions if a.op in _FILE_ACTIONS]
    attrs = [a for a in plan.actions if a.op in _ATTR_FLAGS]
    sigdefs = [a for a in attrs if a.op == "setsigdef"]
    fa = f"&{names.fa}" if file_actions else null
    attr = f"&{names.attr}" if attrs else null
    env = ex.env if ex.spec.has_env else "environ"
    argv = ex.argv if not ex.spec.list_form else names.argv
    target = f"&{result}" if direct_pid else f"&{names.pid}"

    decls = []
    if file_actions:
        decls.append(f"posix_spawn_file_actions_t {names.fa};")
    if attrs:
        decls.append(f"posix_spawnattr_t {names.attr};")
    if sigdefs:
        decls.append(f"sigset_t {names.sigdef};")
    if ex.spec.list_form:
        decls.append(f"char *{names.argv}[{len(ex.arg_list) + 1}];")
    for d in plan.moved_decls:
        decls.append(text(d))
    if not direct_pid:
        decls.append(f"pid_t {names.pid};")
    decls.append(f"int {names.err};")

    body = []
    # A file action from a checked call fails the spawn when it cannot be
    # added (a negative descriptor), as the call failing ended the child;
    # the others are left out then, as the child ignored the call.
    checked = False
    if file_actions:
        body.append(f"posix_spawn_file_actions_init(&{names.fa});")
        for a in file_actions:
            call = f"posix_spawn_file_actions_{a.op}(&{names.fa}, {', '.join(a.args)});"
            if a.checked and not checked:
                body.append(f"{names.err} = {call}")
            elif a.checked:
                body += [f"if ({names.err} == 0)", (1, f"{names.err} = {call}")]
            else:
                body.append(call)
            checked = checked or a.checked
    if attrs:
        body.append(f"posix_spawnattr_init(&{names.attr});")
        flags = []
        for a in attrs:
            if _ATTR_FLAGS[a.op] not in flags:
                flags.append(_ATTR_FLAGS[a.op])
        body.append(f"posix_spawnattr_setflags(&{names.attr}, {' | '.join(flags)});")
        for a in attrs:
            if a.op == "setpgroup":
                body.append(f"posix_spawnattr_setpgroup(&{names.attr}, {a.args[0]});")
            elif a.op == "setsigmask":
                body.append(f"posix_spawnattr_setsigmask(&{names.attr}, {a.args[0]});")
        if sigdefs:
            body.append(f"sigemptyset(&{names.sigdef});")
            for a in sigdefs:
                body.append(f"sigaddset(&{names.sigdef}, {a.args[0]});")
            body.append(f"posix_spawnattr_setsigdefault(&{names.attr}, &{names.sigdef});")
    if ex.spec.list_form:
        for i, arg in enumerate(ex.arg_list):
            value = arg if arg.lstrip().startswith('"') else f"(char *){arg}"
            body.append(f"{names.argv}[{i}] = {value};")
        body.append(f"{names.argv}[{len(ex.arg_list)}] = {null};")
    spawn_call = f"{names.err} = {ex.spec.spawn}({target}, {ex.path}, {fa}, {attr}, {argv}, {env});"
    if checked:
        body += [f"if ({names.err} == 0)", (1, spawn_call)]
    else:
        body.append(spawn_call)
    if attrs:
        body.append(f"posix_spawnattr_destroy(&{names.attr});")
    if file_actions:
        body.append(f"posix_spawn_file_actions_destroy(&{names.fa});")

    out = [(0, "{")]
    out += [(1, d) for d in decls]
    out.append((None, ""))
    out += [(1 + b[0], b[1]) if isinstance(b, tuple) else (1, b) for b in body]
    out.append((1, f"if ({names.err} != 0) {{"))
    out.append((2, f"errno = {names.err};"))
    out.append((2, f"{result} = -1;"))
    if direct_pid:
        out.append((1, "}"))
    else:
        out.append((1, "} else {"))
        out.append((2, f"{result} = {names.pid};"))
        out.append((1, "}"))
    out.append((0, "}"))
    return out


def needs(plan: SpawnPlan) -> set:
    """File-level additions the block relies on."""
    wanted = {"spawn.h", "errno.h"}
    if not plan.exec.spec.has_env:
        wanted.add("environ")
    return wanted
