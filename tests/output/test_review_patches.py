"""`vfork-codemod review`: patches a person can read, that `git apply` and
`git am` accept (one by one on the unchanged tree, or as a series with
--all), and whose commits say what they do."""
import json
import re
import shutil
import subprocess

import pytest

from conftest import ROOT
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
                    r"Subject: \[PATCH\] examples/legacyd/hooks.c: run_hook: vfork -> fork "
                    r"\[RFC: parent reads hook_started\]\n\n", text)
    message, _, below = text.partition("\n---\n")
    assert "- line 20: `hook_started = 1` writes `hook_started`" in message
    # What only the reviewer needs stays out of the commit message.
    assert "To decide:" not in message and "The diff below" not in message
    assert "To decide:" in below and "close-on-exec pipe" in " ".join(below.split())
    assert "The diff below is the proposed fork rewrite" in below
    assert " examples/legacyd/hooks.c | 2 +-\n 1 file changed, 1 insertion(+), 1 deletion(-)" in below
    assert "-\tpid = vfork();\n+\tpid = fork();" in below


def test_review_patches_apply_alone_to_the_untouched_tree(repo, cli):
    shutil.copy(ROOT / "tests" / "golden" / "c" / "review_shadowed_and_static_writes" / "input.c",
                repo / "examples" / "two.c")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "two review sites in one file")
    cli("review", "examples", "--out", "../patches")
    patches = sorted((repo.parent / "patches").glob("*.patch"))
    assert len(patches) >= 3
    for patch in patches:
        subprocess.run(["git", "apply", "--check", str(patch)], cwd=repo, check=True)
        git(repo, "am", "-q", str(patch))
        git(repo, "reset", "-q", "--hard", "HEAD~1")
    index = (repo.parent / "patches" / "index.md").read_text()
    assert "Each patch applies alone to the untouched tree" in index
    assert json.loads((repo.parent / "patches" / "index.json").read_text())["series"] is False


def git(repo, *args, **kwargs):
    return subprocess.run(GIT + list(args), cwd=repo, check=True, capture_output=True, text=True, **kwargs)


def test_all_is_a_series_git_am_applies_in_order(repo, cli):
    code, _, _ = cli("review", "examples", "--out", "../patches", "--all")
    patches = sorted((repo.parent / "patches").glob("*.patch"))
    assert len(patches) == 5
    verdicts = [e["verdict"] for e in json.loads((repo.parent / "patches" / "index.json").read_text())["patches"]]
    assert sorted(verdicts) == ["fork", "fork", "fork", "review", "spawn"]
    git(repo, "am", "-q", *map(str, patches))
    log = git(repo, "log", "--reverse", "--format=%s", "HEAD~5..").stdout.splitlines()
    assert log == [
        "examples/legacyd/jobs.c: run_job: vfork -> fork",
        "examples/legacyd/jobs.c: run_shell: vfork -> fork and a close-on-exec pipe",
        "examples/legacyd/launch.c: run_filter: vfork -> posix_spawn",
        "examples/legacyd/launch.c: run_detached: vfork -> fork",
        "examples/legacyd/hooks.c: run_hook: vfork -> fork [RFC: parent reads hook_started]"]
    # The series ends where `apply --include-review` does.
    tree = repo.parent / "applied"
    shutil.copytree(ROOT / "examples", tree / "examples")
    cli("apply", "--include-review", str(tree / "examples"))
    for name in ("hooks.c", "jobs.c", "launch.c"):
        assert (repo / "examples" / "legacyd" / name).read_bytes() == \
            (tree / "examples" / "legacyd" / name).read_bytes(), name
    assert "These patches are a series" in (repo.parent / "patches" / "index.md").read_text()


def test_a_series_over_a_multi_site_tree(repo, cli):
    golden = ROOT / "tests" / "golden" / "c"
    for case in ("mixed_sites", "spawn_execle_execlp", "handoff_two_variables", "review_shadowed_and_static_writes"):
        shutil.copy(golden / case / "input.c", repo / "examples" / f"{case}.c")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "more sites")
    cli("review", "examples", "--out", "../patches", "--all")
    patches = sorted((repo.parent / "patches").glob("*.patch"))
    assert len(patches) >= 12
    rfc = [i for i, p in enumerate(patches) if "[RFC:" in p.read_text().split("\n\n", 1)[0]]
    assert rfc and rfc == list(range(rfc[0], len(patches)))      # the proposals come last
    git(repo, "am", "-q", *map(str, patches[:rfc[0]]))
    # Stopping before the first RFC gives what `apply` makes.
    applied = repo.parent / "plain"
    shutil.copytree(ROOT / "examples", applied / "examples")
    golden_files = {c: golden / c / "input.c" for c in
                    ("mixed_sites", "spawn_execle_execlp", "handoff_two_variables", "review_shadowed_and_static_writes")}
    for case, src in golden_files.items():
        shutil.copy(src, applied / "examples" / f"{case}.c")
    cli("apply", str(applied / "examples"))
    for path in (applied / "examples").rglob("*.c"):
        assert (repo / path.relative_to(applied)).read_bytes() == path.read_bytes(), path.name
    git(repo, "am", "-q", *map(str, patches[rfc[0]:]))


def test_git_am_3_applies_the_series_to_a_tree_that_moved_on(repo, cli):
    cli("review", "examples", "--out", "../patches", "--all")
    for path in (repo / "examples" / "legacyd").glob("*.c"):
        path.write_bytes(b"/* a header comment added later */\n/* and another line */\n" + path.read_bytes())
    git(repo, "commit", "-qam", "unrelated change that shifts every file")
    patches = sorted((repo.parent / "patches").glob("*.patch"))
    text = patches[0].read_text()
    assert re.search(r"^index [0-9a-f]{40}\.\.[0-9a-f]{40} 100644$", text, re.M)
    git(repo, "am", "-3", "-q", *map(str, patches))
    assert b"run_shell_handoff_fork(&exec_errno)" in (repo / "examples" / "legacyd" / "jobs.c").read_bytes()


def test_patches_are_authored_by_the_repository_identity(repo, cli, monkeypatch):
    subprocess.run(["git", "config", "user.name", "Ada Reviewer"], cwd=repo, check=True)
    subprocess.run(["git", "config", "user.email", "ada@example.org"], cwd=repo, check=True)
    for var in ("GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL"):
        monkeypatch.delenv(var, raising=False)
    cli("review", "examples", "--out", "patches")
    text = next((repo / "patches").glob("*.patch")).read_text()
    assert "\nFrom: Ada Reviewer <ada@example.org>\n" in text


def test_hunks_show_every_line_a_reason_cites(tmp_path, cli):
    """The reason cites `umask` far below the one changed line."""
    lines = ["#include <sys/stat.h>", "#include <unistd.h>", "int run(char *const argv[])", "{",
             "\tpid_t pid = vfork();", "\tif (pid < 0)", "\t\treturn -1;", "\tif (pid == 0) {"]
    lines += [f"\t\tclose({fd});" for fd in range(3, 15)]
    lines += ["\t\tumask(022);", "\t\texecv(argv[0], argv);", "\t\t_exit(127);", "\t}", "\treturn 0;", "}", ""]
    (tmp_path / "far.c").write_text("\n".join(lines))
    cli("review", "--all", str(tmp_path / "far.c"), "--out", str(tmp_path / "out"))
    (patch,) = (tmp_path / "out").glob("*.patch")
    text = patch.read_text()
    cited = [int(n) for n in re.findall(r"^- line (\d+):", text, re.M)]
    assert 21 in cited
    hunks = [(int(a), int(b or 1)) for a, b in re.findall(r"^@@ -(\d+)(?:,(\d+))? ", text, re.M)]
    for line in cited:
        assert any(start <= line < start + length for start, length in hunks), (line, hunks)
