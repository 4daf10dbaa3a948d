"""The pre-commit hooks, run by a real `pre-commit` against a local clone of
this repository: an excluded file and a suppressed site pass, a new vfork
fails, and the fix hook rewrites what the tool proves safe."""
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from golden import GOLDEN

from conftest import ROOT
GIT = ["git", "-c", "user.email=dev@example.com", "-c", "user.name=dev", "-c", "commit.gpgsign=false"]


def _pre_commit() -> list:
    found = shutil.which("pre-commit", path=os.path.dirname(sys.executable)) or shutil.which("pre-commit")
    if found is None or shutil.which("git") is None:
        pytest.skip("pre-commit or git not installed")
    return [found]


@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory):
    """A clone of the tracked files, committed: what `repo:` points at."""
    src = tmp_path_factory.mktemp("hooks") / "vfork-codemod"
    files = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    for name in files.splitlines():
        if (ROOT / name).is_file():
            (src / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, src / name)
    subprocess.run(["git", "init", "-q"], cwd=src, check=True)
    subprocess.run(["git", "add", "-A"], cwd=src, check=True)
    subprocess.run(GIT + ["commit", "-qm", "hooks"], cwd=src, check=True)
    rev = subprocess.run(["git", "rev-parse", "HEAD"], cwd=src, capture_output=True, text=True, check=True)
    return src, rev.stdout.strip()


def _project(tmp_path: Path, hook_repo, hook: str) -> Path:
    src, rev = hook_repo
    work = tmp_path / "project"
    (work / "src").mkdir(parents=True)
    (work / "third_party").mkdir()
    (work / ".pre-commit-config.yaml").write_text(
        f"repos:\n- repo: {src}\n  rev: {rev}\n  hooks:\n  - id: {hook}\n")
    (work / ".vfork-codemod.toml").write_text('exclude = ["third_party/"]\n')
    (work / "third_party" / "vendored.c").write_bytes((GOLDEN / "c" / "spawn_decl_init" / "input.c").read_bytes())
    kept = (GOLDEN / "c" / "review_store_before_exec" / "input.c").read_bytes()
    (work / "src" / "kept.c").write_bytes(kept.replace(b"\tpid = vfork();", b"\tpid = vfork();\t/* vfork-codemod: ignore */"))
    subprocess.run(["git", "init", "-q"], cwd=work, check=True)
    subprocess.run(["git", "add", "-A"], cwd=work, check=True)
    return work


def _run(work: Path, tmp_path: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, PRE_COMMIT_HOME=str(tmp_path / "cache"))
    return subprocess.run(_pre_commit() + ["run", "--all-files"], cwd=work, capture_output=True, text=True,
                          env=env, timeout=900)


def test_the_scan_hook_passes_excluded_and_suppressed_sites_and_fails_a_new_one(tmp_path, hook_repo):
    work = _project(tmp_path, hook_repo, "vfork-codemod")
    proc = _run(work, tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    (work / "src" / "new.c").write_bytes((GOLDEN / "c" / "spawn_decl_init" / "input.c").read_bytes())
    subprocess.run(["git", "add", "-A"], cwd=work, check=True)
    proc = _run(work, tmp_path)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "src/new.c:10:14: spawn" in proc.stdout and "vendored" not in proc.stdout


def test_the_fix_hook_rewrites_what_is_proved_safe(tmp_path, hook_repo):
    work = _project(tmp_path, hook_repo, "vfork-codemod-fix")
    (work / "src" / "new.c").write_bytes((GOLDEN / "c" / "spawn_decl_init" / "input.c").read_bytes())
    subprocess.run(["git", "add", "-A"], cwd=work, check=True)
    proc = _run(work, tmp_path)
    assert proc.returncode == 1, proc.stdout + proc.stderr          # files were modified
    assert (work / "src" / "new.c").read_bytes() == (GOLDEN / "c" / "spawn_decl_init" / "expected.c").read_bytes()
    assert b"vfork()" in (work / "third_party" / "vendored.c").read_bytes()
    proc = _run(work, tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
