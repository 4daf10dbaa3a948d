"""`vfork-codemod review`: patches a person can read, and that `git apply`
and `git am` accept on the unchanged tree."""
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
GIT = ["git", "-c", "user.email=dev@example.com", "-c", "user.name=dev"]


@pytest.fixture
def repo(tmp_path, monkeypatch):
    if shutil.which("git") is None:
        pytest.skip("git not installed")
    work = tmp_path / "repo"
    shutil.copytree(ROOT / "examples", work / "examples")
    subprocess.run(["git", "init", "-q"], cwd=work, check=True)
    subprocess.run(["git", "add", "-A"], cwd=work, check=True)
    subprocess.run(GIT + ["commit", "-qm", "init"], cwd=work, check=True)
    monkeypatch.chdir(work)
    return work


def test_one_patch_per_review_site_with_index(repo, cli):
    code, _, err = cli("review", "examples", "--out", "patches")
    assert code == 0
    names = sorted(p.name for p in (repo / "patches").glob("*.patch"))
    assert names == ["0001-examples-legacyd-jobs.c-L40.patch"]
    index = json.loads((repo / "patches" / "index.json").read_text())
    (entry,) = index["patches"]
    assert entry["file"] == "examples/legacyd/jobs.c" and entry["line"] == 40
    assert entry["verdict"] == "review" and entry["patch"] == names[0]
    assert entry["reason"].startswith("line 45: `exec_errno = errno` writes `exec_errno`")
    assert "| 0001-examples-legacyd-jobs.c-L40.patch | examples/legacyd/jobs.c | 40 | review |" in \
        (repo / "patches" / "index.md").read_text()


def test_patch_reads_as_a_mail_with_reasons_and_advice(repo, cli):
    cli("review", "examples", "--out", "patches")
    text = next((repo / "patches").glob("*.patch")).read_text()
    assert re.match(r"From [0-9a-f]{40} Mon Sep 17 00:00:00 2001\nFrom: .+\nDate: .+\n"
                    r"Subject: \[PATCH\] vfork: review examples/legacyd/jobs.c:40 \(run_shell\)\n\n", text)
    body, _, diff = text.partition("\n---\n")
    assert "- line 45: `exec_errno = errno` writes `exec_errno`" in body
    assert "To decide:" in body and "pipe with O_CLOEXEC" in body
    assert " examples/legacyd/jobs.c | 2 +-\n 1 file changed, 1 insertion(+), 1 deletion(-)" in diff
    assert "-\tpid = vfork();\n+\tpid = fork();" in diff


def test_every_patch_applies_with_git_apply_and_git_am(repo, cli):
    code, _, _ = cli("review", "examples", "--out", "../patches", "--all")
    patches = sorted((repo.parent / "patches").glob("*.patch"))
    assert len(patches) == 4
    verdicts = [e["verdict"] for e in json.loads((repo.parent / "patches" / "index.json").read_text())["patches"]]
    assert sorted(verdicts) == ["fork", "fork", "review", "spawn"]
    for patch in patches:
        subprocess.run(["git", "apply", "--check", str(patch)], cwd=repo, check=True)
        subprocess.run(GIT + ["am", "-q", str(patch)], cwd=repo, check=True)
        log = subprocess.run(["git", "log", "-1", "--format=%s"], cwd=repo, capture_output=True, text=True)
        assert log.stdout.startswith("vfork: ")
        subprocess.run(["git", "reset", "-q", "--hard", "HEAD~1"], cwd=repo, check=True)


def test_sites_without_a_proposal_are_listed_not_patched(tmp_path, cli):
    src = ROOT / "tests" / "golden" / "c" / "review_error_region" / "input.c"
    shutil.copy(src, tmp_path / "odd.c")
    code, _, _ = cli("review", str(tmp_path / "odd.c"), "--out", str(tmp_path / "out"))
    assert code == 0
    assert not list((tmp_path / "out").glob("*.patch"))
    (entry,) = json.loads((tmp_path / "out" / "index.json").read_text())["patches"]
    assert entry["patch"] is None and "no rewrite can be proposed" in entry["note"]


def test_advice_for_each_kind_of_review_reason():
    from codemod.core.reasons import advice
    from codemod.core.model import Finding, Reason, Verdict
    cases = {
        "`x = 1` writes `x`, declared outside the child region": "O_CLOEXEC",
        "`prepare_child()` is not a function the tool knows": "safe-functions",
        "`printf()` writes the stdio buffers shared with the parent": "fflush",
        "`setenv()` writes environ, shared with the parent": "envp",
        "`malloc()` writes the allocator state shared with the parent": "before vfork",
        "`return -1;` returns from the function": "_exit(127)",
        "the vfork result is returned: the child runs on in the caller": "wrapper",
        "`#ifdef DEBUG` splits the child region": "configuration",
        "`x` could not be parsed (a tree-sitter ERROR region": "macro",
        "`BEGIN_CHILD` does not parse as C: tree-sitter had to assume a missing `;`": "macro",
    }
    for text, word in cases.items():
        f = Finding("a.c", 1, 1, "c", Verdict.REVIEW, "m", [Reason(3, text)])
        ((decide, fix),) = advice(f)
        assert word in decide + fix, text


def test_diffstat_counts_lines_that_look_like_headers():
    from codemod.core.diffs import unified
    from codemod.output.patches import _diffstat
    diff = unified("x.c", b"int i;\n--i;\n++i;\n", b"int i;\n")
    assert b"\n---i;\n" in diff and b"\n-++i;\n" in diff
    assert _diffstat("x.c", diff).endswith(" 1 file changed, 0 insertions(+), 2 deletions(-)\n")
