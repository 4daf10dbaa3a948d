"""Deterministic benchmark trees.

wide:  tens of thousands of C files (about 10 KB each, like binutils-gdb),
       a handful of which call vfork.
dense: hundreds of C files, each with several vfork sites of mixed kinds.
"""
from __future__ import annotations

import random
import shutil
from pathlib import Path

HERE = Path(__file__).resolve().parent
GOLDEN = HERE.parent / "tests" / "golden" / "c"

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


def build_wide(root: Path, files: int = 30000, with_vfork: int = 12, seed: int = 1) -> Path:
    marker = root / f".built-{files}-{with_vfork}-{seed}"
    if marker.exists():
        return root
    if root.exists():
        shutil.rmtree(root)
    rng = random.Random(seed)
    site = (GOLDEN / "mixed_sites" / "input.c").read_text()
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
    marker = root / f".built-{files}-{seed}"
    if marker.exists():
        return root
    if root.exists():
        shutil.rmtree(root)
    rng = random.Random(seed)
    kinds = sorted(p.name for p in GOLDEN.iterdir()
                   if p.name.startswith(("spawn_", "fork_", "review_")) and (p / "input.c").exists())
    root.mkdir(parents=True)
    for i in range(files):
        chosen = rng.sample(kinds, 4)
        parts = []
        for j, kind in enumerate(chosen):
            src = (GOLDEN / kind / "input.c").read_text(encoding="latin-1")
            parts.append(src.replace("main(", f"main_{j}(").replace("static int", "int"))
        (root / f"dense{i:04d}.c").write_text("\n".join(parts), encoding="latin-1")
    marker.touch()
    return root
