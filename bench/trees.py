"""Deterministic benchmark trees.

wide:  tens of thousands of C files (about 10 KB each, like binutils-gdb),
       a handful of which call vfork, and about one in 470 that mention it
       only in comments, strings and longer names (`follow_vfork`,
       `TARGET_WAITKIND_VFORKED`), as binutils-gdb's 62 of 29,000 do; one in
       eight of those is 300-500 KB (gdb's `breakpoint.c`, `remote.c`).
dense: hundreds of C files, each with several vfork sites of mixed kinds.
sites: thousands of small C files, each with one vfork site (memory).
ctypes: one generated Python module of ctypes bindings for libc (about
       150 KB, thousands of `_libc.name` bindings, `vfork` among them, never
       called).
"""
from __future__ import annotations

import hashlib
import random
import shutil
from pathlib import Path
from typing import Optional

HERE = Path(__file__).resolve().parent
GOLDEN = HERE.parent / "tests" / "golden" / "c"

# The golden cases the trees are made of.  Listed, not globbed, so adding a
# golden case does not change the benchmark; the build marker hashes their
# text, so editing one rebuilds the trees.
WIDE_SITE = "mixed_sites"
DENSE_KINDS = (
    "fork_chdir_without_gnu_source", "fork_child_in_last_else", "fork_counter_declared_outside",
    "fork_fallthrough_child", "fork_ifdef_have_vfork", "fork_loop_umask", "fork_no_failure_check",
    "fork_not_vfork", "fork_only_child_uses_variable", "fork_retry_loop", "fork_setsid_target_posix",
    "fork_signal_ignore", "fork_switch_vfork", "fork_vfork_eq_zero",
    "review_break_out_of_case", "review_error_region", "handoff_errno_echo", "fork_ifdef_debug_in_child",
    "review_include_review_proposal", "review_return_in_child", "review_shadowed_and_static_writes",
    "review_stdout_and_shared_calls", "review_unknown_function", "review_wrapper_and_discard",
    "spawn_assign_in_condition", "spawn_chdir_setsid_gnu", "spawn_decl_init", "spawn_error_in_final_else",
    "spawn_execl_else_if", "spawn_execle_execlp", "spawn_execve_env", "spawn_inside_ifdef_branch",
    "spawn_name_collision", "spawn_not_pid_else", "spawn_open_redirect", "spawn_pid_nonzero_else",
    "spawn_pipe_dup2_close", "spawn_setpgid_signal", "spawn_sigaction_reset", "spawn_sigprocmask",
    "spawn_switch_assign", "spawn_zero_eq_pid",
)

WORDS = ("count", "buf", "len", "node", "next", "value", "flags", "state", "ctx", "item", "index", "offset")


def _function(rng: random.Random, n: int) -> str:
    a, b = rng.choice(WORDS), rng.choice(WORDS)
    body = "\n".join(f"\t{a}_{i} = {b}[{i}] + {rng.randint(0, 999)} * {a}_{(i + 1) % 7};"
                     for i in range(rng.randint(8, 30)))
    return (f"/* {a} {b}: helper number {n} */\nstatic int\n{a}_{b}_{n}(int *{b}, int {a}_0)\n{{\n"
            f"\tint {', '.join(f'{a}_{i}' for i in range(1, 7))};\n\n{body}\n\treturn {a}_1;\n}}\n\n")


def _plain_file(rng: random.Random, target_size: int) -> str:
    parts = ["#include <stdio.h>\n#include <string.h>\n\n"]
    size, n = 0, 0
    while size < target_size:
        f = _function(rng, n)
        parts.append(f)
        size += len(f)
        n += 1
    return "".join(parts)


def _marker(root: Path, params: tuple, cases: tuple) -> Path:
    """The file that says ``root`` was built from exactly these inputs."""
    digest = hashlib.sha256(repr(params).encode())
    for case in cases:
        digest.update((GOLDEN / case / "input.c").read_bytes())
    return root / f".built-{digest.hexdigest()[:16]}"


MENTIONS = (
    "/* Unlike vfork(), this waits for the child to exit. */\n",
    "// vfork: see infrun.c\n",
    'static const char vfork_msg[] = "vfork failed";\n',
    "int follow_vfork_mode;\n",
    "#define TARGET_WAITKIND_VFORKED 7\n",
    "static int vfork_done_seen(int kind)\n{\n\treturn kind == TARGET_WAITKIND_VFORKED;\n}\n",
    "/*\n * After a vfork the parent is suspended\n * until the child execs.\n */\n",
)


def _mention_file(rng: random.Random, target_size: int) -> str:
    """A plain file with a few of the mentions above after its includes."""
    head, _, rest = _plain_file(rng, target_size).partition("\n\n")
    return head + "\n\n" + "".join(rng.sample(MENTIONS, 4)) + "\n" + rest


def build_wide(root: Path, files: int = 30000, with_vfork: int = 12, seed: int = 1,
               mentions: Optional[int] = None) -> Path:
    mentions = max(1, files // 470) if mentions is None else mentions
    marker = _marker(root, ("wide", files, with_vfork, seed, mentions, MENTIONS), (WIDE_SITE,))
    if marker.exists():
        return root
    if root.exists():
        shutil.rmtree(root)
    rng = random.Random(seed)
    site = (GOLDEN / WIDE_SITE / "input.c").read_text()
    per_dir = 100
    chosen = rng.sample(range(files), with_vfork + mentions)
    vfork_at, mention_at = set(chosen[:with_vfork]), set(chosen[with_vfork:])
    for i in range(files):
        folder = root / f"lib{i // (per_dir * 20):02d}" / f"mod{(i // per_dir) % 20:02d}"
        folder.mkdir(parents=True, exist_ok=True)
        if i in mention_at:
            big = rng.random() < 1 / 8
            text = _mention_file(rng, rng.randint(300_000, 500_000) if big else rng.randint(10_000, 40_000))
        else:
            text = _plain_file(rng, rng.randint(4000, 16000))
        if i in vfork_at:
            text += "\n" + site.replace("int main(void)", f"int main_{i}(void)")
        (folder / f"file{i:05d}.c").write_text(text)
    marker.touch()
    return root


def build_dense(root: Path, files: int = 300, seed: int = 2) -> Path:
    marker = _marker(root, ("dense", files, seed), DENSE_KINDS)
    if marker.exists():
        return root
    if root.exists():
        shutil.rmtree(root)
    rng = random.Random(seed)
    root.mkdir(parents=True)
    for i in range(files):
        chosen = rng.sample(DENSE_KINDS, 4)
        parts = []
        for j, kind in enumerate(chosen):
            src = (GOLDEN / kind / "input.c").read_text(encoding="latin-1")
            parts.append(src.replace("main(", f"main_{j}(").replace("static int", "int"))
        (root / f"dense{i:04d}.c").write_text("\n".join(parts), encoding="latin-1")
    marker.touch()
    return root


SITE_CASE = "spawn_decl_init"


def build_sites(root: Path, files: int = 5000, seed: int = 3) -> Path:
    """``files`` small files, each with one vfork site (the memory check)."""
    marker = _marker(root, ("sites", files, seed), (SITE_CASE,))
    if marker.exists():
        return root
    if root.exists():
        shutil.rmtree(root)
    site = (GOLDEN / SITE_CASE / "input.c").read_text()
    for i in range(files):
        folder = root / f"d{i // 500:02d}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"site{i:05d}.c").write_text(site.replace("int main(", f"int main_{i}("))
    marker.touch()
    return root


LIBC_NAMES = ("open", "close", "read", "write", "pipe", "dup", "dup2", "fork", "vfork", "execv", "execve",
              "waitpid", "kill", "signal", "getpid", "getppid", "setsid", "setpgid", "chdir", "umask")


CTYPES_FORM = 2        # change when the generated text changes: the marker then rebuilds it


def build_ctypes(path: Path, size: int = 150_000, seed: int = 4) -> Path:
    """A ctypes bindings module as generators write them: `vfork` bound, never called."""
    marker = path.with_name(path.name + f".built-{size}-{seed}-{CTYPES_FORM}")
    if marker.exists() and path.exists():
        return path
    rng = random.Random(seed)
    lines = ['"""Bindings for libc, generated."""', "import ctypes", "import ctypes.util", "",
             '_libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)', ""]
    n = 0
    types = ("ctypes.c_int", "ctypes.c_long", "ctypes.c_char_p", "ctypes.c_void_p", "ctypes.c_size_t")
    while sum(len(x) + 1 for x in lines) < size:
        base = LIBC_NAMES[n % len(LIBC_NAMES)]
        name = base if n < len(LIBC_NAMES) else f"{base}_{n}"
        lines.append(f"{name} = _libc.{base}")
        lines.append(f"{name}.restype = {rng.choice(types)}")
        lines.append(f"{name}.argtypes = [{', '.join(rng.choice(types) for _ in range(rng.randint(0, 4)))}]")
        lines.append("")
        n += 1
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n")
    marker.touch()
    return path


def build_autogen(path: Path, bindings: int = 2_000, seed: int = 5) -> Path:
    """A ctypes module shaped as the autogenerated ones found in real
    projects: each function bound in its own try/except with a walrus,
    `vfork` bound once among them and never called."""
    marker = path.with_name(path.name + f".built-{bindings}-{seed}")
    if marker.exists() and path.exists():
        return path
    rng = random.Random(seed)
    types = ("ctypes.c_int32", "ctypes.c_int64", "ctypes.c_char_p", "ctypes.c_void_p", "ctypes.c_uint32")
    lines = ["# generated from the C headers: do not edit", "import ctypes", "", "dll = ctypes.CDLL(None)", ""]
    for i in range(bindings):
        base = LIBC_NAMES[i % len(LIBC_NAMES)]
        name = "vfork" if i == bindings // 2 else f"{base}_{i}"
        args = ", ".join(rng.choice(types) for _ in range(rng.randint(0, 4)))
        lines.append(f"try: ({name}:=dll.{name}).restype, {name}.argtypes = {rng.choice(types)}, [{args}]")
        lines.append("except AttributeError: pass")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n")
    marker.touch()
    return path
