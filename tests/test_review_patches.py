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
    assert names == ["0001-examples-legacyd-hooks.c-L16.patch"]
    index = json.loads((repo / "patches" / "index.json").read_text())
    (entry,) = index["patches"]
    assert entry["file"] == "examples/legacyd/hooks.c" and entry["line"] == 16
    assert entry["verdict"] == "review" and entry["patch"] == names[0]
    assert entry["reason"].startswith("line 20: `hook_started = 1` writes `hook_started`")
    assert "| 0001-examples-legacyd-hooks.c-L16.patch | examples/legacyd/hooks.c | 16 | review |" in \
        (repo / "patches" / "index.md").read_text()


def test_patch_reads_as_a_mail_with_reasons_and_advice(repo, cli):
    cli("review", "examples", "--out", "patches")
    text = next((repo / "patches").glob("*.patch")).read_text()
    assert re.match(r"From [0-9a-f]{40} Mon Sep 17 00:00:00 2001\nFrom: .+\nDate: .+\n"
                    r"Subject: \[PATCH\] vfork: review examples/legacyd/hooks.c:16 \(run_hook\)\n\n", text)
    body, _, diff = text.partition("\n---\n")
    assert "- line 20: `hook_started = 1` writes `hook_started`" in body
    assert "To decide:" in body and "close-on-exec pipe" in " ".join(body.split())
    assert " examples/legacyd/hooks.c | 2 +-\n 1 file changed, 1 insertion(+), 1 deletion(-)" in diff
    assert "-\tpid = vfork();\n+\tpid = fork();" in diff


def test_every_patch_applies_with_git_apply_and_git_am(repo, cli):
    code, _, _ = cli("review", "examples", "--out", "../patches", "--all")
    patches = sorted((repo.parent / "patches").glob("*.patch"))
    assert len(patches) == 5
    verdicts = [e["verdict"] for e in json.loads((repo.parent / "patches" / "index.json").read_text())["patches"]]
    assert sorted(verdicts) == ["fork", "fork", "fork", "review", "spawn"]
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
    from codemod.core.model import Finding, Verdict
    from codemod.core.reasons import advice, reason
    cases = [
        (("shared-write", dict(stmt="x = 1", via="", target="`x`, declared outside the child region")),
         "close-on-exec pipe"),
        (("unknown-function", dict(name="prepare_child")), "safe-functions"),
        (("writes-stdio", dict(name="printf", what="the stdio buffers shared with the parent")), "fflush"),
        (("writes-environ", dict(name="setenv", what="environ, shared with the parent")), "envp"),
        (("writes-heap", dict(name="malloc", what="the allocator state shared with the parent")), "before vfork"),
        (("returns", dict(stmt="return -1;")), "_exit(127)"),
        (("result-returned", dict(function="spawn_it")), "wrapper"),
        (("preproc-in-child", dict(directive="#ifdef DEBUG")), "configuration"),
        (("error-node", dict(code="x")), "macro"),
        (("missing-node", dict(code="BEGIN_CHILD", missing=";")), "macro"),
    ]
    for (kind, fields), word in cases:
        r = reason(kind, 3, "c", **fields)
        f = Finding("a.c", 1, 1, "c", Verdict.REVIEW, "m", (r,))
        ((decide, fix),) = advice(f)
        assert word in decide + fix, r.text


def test_advice_follows_the_kind_not_the_wording():
    """A reason keeps its advice whatever its text says, and a word in quoted
    code (`environ` here) brings no advice of its own."""
    from codemod.core.model import Finding, Reason, Verdict
    from codemod.core.reasons import advice
    f = Finding("a.c", 1, 1, "c", Verdict.REVIEW, "m", (Reason(3, "unknown-function", "reworded entirely"),))
    ((decide, fix),) = advice(f)
    assert "safe-functions" in fix
    f = Finding("a.c", 1, 1, "c", Verdict.REVIEW, "m", (Reason(3, "runs-in-both", "`environ_init();` runs in both"),))
    assert advice(f) == [("Read the child region and decide whether it only execs or exits.",
                          "Reduce it to set-up, one exec and _exit.")]


def test_every_reason_kind_formats_and_names_its_advice():
    import string

    from codemod.core.reasons import ADVICE, KINDS, reason
    for kind, entry in KINDS.items():
        assert entry.advice is None or entry.advice in ADVICE, kind
        templates = entry.template.values() if isinstance(entry.template, dict) else [entry.template]
        for language, template in zip(("c", "python"), templates):
            fields = {f for _, f, _, _ in string.Formatter().parse(template) if f}
            made = reason(kind, 7, language if isinstance(entry.template, dict) else "c",
                          **{f: f"<{f}>" for f in fields})
            assert made.kind == kind and made.line == 7 and "{" not in made.text, kind


def test_diffstat_counts_lines_that_look_like_headers():
    from codemod.core.diffs import unified
    from codemod.output.patches import _diffstat
    diff = unified("x.c", b"int i;\n--i;\n++i;\n", b"int i;\n")
    assert b"\n---i;\n" in diff and b"\n-++i;\n" in diff
    assert _diffstat("x.c", diff).endswith(" 1 file changed, 0 insertions(+), 2 deletions(-)\n")
