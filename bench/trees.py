"""Deterministic benchmark trees.

wide:  tens of thousands of C files (about 10 KB each, like binutils-gdb),
       a handful of which call vfork.
dense: hundreds of C files, each with several vfork sites of mixed kinds.
"""
from __future__ import annotations

import hashlib
import random
import shutil
from pathlib import Path

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


def build_wide(root: Path, files: int = 30000, with_vfork: int = 12, seed: int = 1) -> Path:
    marker = _marker(root, ("wide", files, with_vfork, seed), (WIDE_SITE,))
    if marker.exists():
        return root
    if root.exists():
        shutil.rmtree(root)
    rng = random.Random(seed)
    site = (GOLDEN / WIDE_SITE / "input.c").read_text()
    per_dir = 100
    vfork_at = set(rng.sample(range(files), with_vfork))
    for i in range(files):
        folder = root / f"lib{i // (per_dir * 20):02d}" / f"mod{(i // per_dir) % 20:02d}"
        folder.mkdir(parents=True, exist_ok=True)
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
