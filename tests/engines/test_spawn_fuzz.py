"""Differential behaviour fuzzer for spawn and fork rewrites.

Generated programs (tests/spawnfuzz/) set up their vfork child from the
posix_spawn mapping table, in failing, redundant and order-sensitive
forms, and exec a probe that reports what the started program sees:
descriptors and their close-on-exec flags, process group and session,
blocked and ignored signals, cwd, umask, environment, arguments.  The
original and the rewrite run alike; a rewrite must start the program with
the same view whenever the original does, and must not start it when the
original's child never reaches exec.  For Python the reference is the
program with os.fork() in place of the ctypes vfork (which crashes).

CI runs a bounded number of seeds; run more with, for example,
VFORK_SPAWN_FUZZ_C=2000 VFORK_SPAWN_FUZZ_PY=500 python -m pytest tests/engines/test_spawn_fuzz.py
(VFORK_SPAWN_FUZZ_SEED shifts the seeds).
"""
import os
from collections import Counter

import pytest

from conftest import need_gcc
from spawnfuzz.harness import check_c, check_py

C_SEEDS = int(os.environ.get("VFORK_SPAWN_FUZZ_C", "40"))
PY_SEEDS = int(os.environ.get("VFORK_SPAWN_FUZZ_PY", "40"))
FIRST = int(os.environ.get("VFORK_SPAWN_FUZZ_SEED", "0"))


@pytest.fixture(scope="module")
def work(tmp_path_factory):
    return tmp_path_factory.mktemp("spawnfuzz")


def _sweep(check, seeds, work):
    stats = Counter()
    for seed in range(FIRST, FIRST + seeds):
        outcome = check(seed, work)
        stats.update(outcome.verdicts)
        stats["started" if outcome.original is not None else "not started"] += 1
        assert outcome.same, f"seed {seed}: the rewrite starts the program differently\n{outcome.describe()}"
    return stats


@pytest.mark.gcc
def test_c_rewrites_start_the_program_alike(work):
    need_gcc()
    stats = _sweep(check_c, C_SEEDS, work)
    # The sweep must exercise both rewrites and both kinds of run.
    assert stats["spawn"] and stats["fork"] and stats["started"] and stats["not started"], stats


@pytest.mark.gcc
def test_python_rewrites_start_the_program_alike(work):
    need_gcc()
    stats = _sweep(check_py, PY_SEEDS, work)
    assert stats["spawn"] and stats["fork"] and stats["started"] and stats["not started"], stats


@pytest.mark.gcc
def test_the_fuzzer_catches_an_inexact_translation(work, monkeypatch):
    """With the proofs switched off (every translation accepted), one of the
    first seeds starts the program differently: the comparison can fail."""
    need_gcc()
    from codemod.engines.proofs import descriptors, sessions

    def unproved(steps, origins, language="c"):
        actions, problem = descriptors.translate(steps)
        return descriptors.Proof(actions) if not problem else descriptors.Proof(None, problem[1], problem[0])

    def literal(steps, language="c"):
        sid = any(isinstance(s, sessions.Setsid) for s in steps)
        groups = [s.group for s in steps if isinstance(s, sessions.Setpgid)]
        return sessions.Plan(sid, groups[-1] if groups else None)

    monkeypatch.setattr(descriptors, "prove", unproved)
    monkeypatch.setattr(sessions, "solve", literal)
    assert any(not check_c(seed, work).same for seed in range(300)), "no C program showed the difference"
    assert any(not check_py(seed, work).same for seed in range(100)), "no Python program showed the difference"

