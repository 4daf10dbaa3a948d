"""Campaigns: `apply --commit`, and plan / run / report over generated local
repositories (one clean, one with spawn, fork and review sites, one that
cannot be cloned, one with a Python ctypes site, one the tool cannot
process), run by GNU parallel with two workers when it is installed."""
import json
import os
import shutil
import subprocess
import sys

import pytest

from golden import GOLDEN

SITES = GOLDEN / "c" / "mixed_sites" / "input.c"
HANDOFF = GOLDEN / "c" / "handoff_static" / "input.c"
PY_SPAWN = next(p / "input.py" for p in sorted((GOLDEN / "py").iterdir())
                if p.name.startswith("spawn") and (p / "input.py").exists())


def git(cwd, *args):
    return subprocess.run(["git", "-c", "user.name=Test", "-c", "user.email=test@example.com", *args], cwd=cwd,
                          check=True, capture_output=True, text=True).stdout


def repo(path, files: dict):
    path.mkdir(parents=True)
    git(path, "init", "-q", "-b", "main")
    for name, content in files.items():
        (path / name).write_bytes(content if isinstance(content, bytes) else content.encode())
    git(path, "add", ".")
    git(path, "commit", "-q", "-m", "initial")
    return path


@pytest.fixture
def repos(tmp_path):
    if shutil.which("git") is None:
        pytest.skip("git not installed")
    root = tmp_path / "repos"
    made = {
        "clean": repo(root / "clean", {"a.c": "int main(void) { return 0; }\n"}),
        "sites": repo(root / "sites", {"a.c": SITES.read_bytes(), "b.c": HANDOFF.read_bytes()}),
        "python": repo(root / "python", {"run.py": PY_SPAWN.read_bytes()}),
        "docs": repo(root / "docs", {"README": "no code here\n"}),
        "broken": repo(root / "broken", {"a.c": SITES.read_bytes(), ".vfork-codemod.toml": "colour = 1\n"}),
    }
    listing = tmp_path / "repos.txt"
    listing.write_text("# the campaign\n" + "".join(f"repos/{n}\n" for n in made) + "repos/missing   # gone\n")
    return made, listing


def tool(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "codemod", *args], cwd=cwd, capture_output=True, text=True)


# -- apply --commit ------------------------------------------------------------

def test_apply_commit_makes_one_commit_per_file_on_the_branch(tmp_path):
    work = repo(tmp_path / "w", {"a.c": SITES.read_bytes(), "b.c": HANDOFF.read_bytes()})
    proc = tool("apply", "--commit", "--branch", "no-vfork", ".", cwd=work)
    assert proc.returncode == 0, proc.stderr
    assert git(work, "branch", "--show-current").strip() == "no-vfork"
    subjects = git(work, "log", "--format=%s", "main..no-vfork").splitlines()
    assert subjects == ["b.c: run: vfork -> fork and a close-on-exec pipe",
                        "a.c: vfork -> fork and posix_spawn (2 sites)"]
    body = git(work, "show", "-s", "--format=%b", "no-vfork~1")
    assert "Verdict: spawn (vfork-to-spawn)" in body and "Generated-by: vfork-codemod" in body
    assert git(work, "status", "--porcelain") == ""
    assert git(work, "show", "--stat", "--format=", "no-vfork").split()[0] == "b.c"


def test_apply_commit_per_site(tmp_path):
    work = repo(tmp_path / "w", {"a.c": SITES.read_bytes()})
    proc = tool("apply", "--commit", "--commit-per", "site", ".", cwd=work)
    assert proc.returncode == 0, proc.stderr
    assert git(work, "log", "--format=%s").splitlines() == [
        "a.c: forked: vfork -> fork", "a.c: spawned: vfork -> posix_spawn", "initial"]
    first = git(work, "show", "--format=", "HEAD~1")
    assert "+\t\tspawn_err = posix_spawn(" in first


def test_apply_commit_refuses_a_dirty_work_tree(tmp_path):
    work = repo(tmp_path / "w", {"a.c": SITES.read_bytes(), "b.c": HANDOFF.read_bytes()})
    (work / "b.c").write_bytes(HANDOFF.read_bytes() + b"/* local edit */\n")
    proc = tool("apply", "--commit", ".", cwd=work)
    assert proc.returncode == 2 and "uncommitted changes (b.c)" in proc.stderr
    assert git(work, "log", "--format=%s").splitlines() == ["initial"]
    proc = tool("apply", "--commit", "--allow-dirty", ".", cwd=work)
    assert proc.returncode == 0 and "b.c: has uncommitted changes; left alone" in proc.stderr
    assert git(work, "log", "--format=%s").splitlines()[0].startswith("a.c: ")
    assert b"local edit" in (work / "b.c").read_bytes()


def test_apply_commit_outside_a_work_tree_is_a_usage_error(tmp_path):
    (tmp_path / "a.c").write_bytes(SITES.read_bytes())
    proc = tool("apply", "--commit", str(tmp_path / "a.c"), cwd=tmp_path)
    assert proc.returncode == 2 and "need a git work tree" in proc.stderr
    assert (tmp_path / "a.c").read_bytes() == SITES.read_bytes()


# -- campaigns -------------------------------------------------------------------

def _results(out):
    return {p.parent.name: json.loads(p.read_text()) for p in (out / "results").glob("*/result.json")}


def _by_repo(out):
    return {os.path.basename(r["repo"]): r for r in _results(out).values()}


def test_plan_run_under_gnu_parallel_rerun_and_report(repos, tmp_path):
    made, listing = repos
    out = tmp_path / "campaign"
    proc = tool("campaign", "plan", str(listing), "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    jobs = (out / "jobs.txt").read_text().splitlines()
    assert len(jobs) == 6 and all(j.startswith("vfork-codemod campaign run ") for j in jobs)
    assert [json.loads(j)["key"] for j in (out / "jobs.jsonl").read_text().splitlines()][0].startswith("clean-")
    if shutil.which("parallel") is None:
        pytest.skip("GNU parallel is not installed (Debian: apt install parallel); the campaign itself is "
                    "tested by test_campaign_all")
    logins = tmp_path / "workers"
    logins.write_text("1/:\n1/:\n")          # two workers on this host, as --sshloginfile names hosts
    env = dict(os.environ, PATH=os.path.dirname(sys.executable) + os.pathsep + os.environ["PATH"])
    run = subprocess.run(["parallel", "--will-cite", "--sshloginfile", str(logins), "--jobs", "1"],
                         stdin=open(out / "jobs.txt"), capture_output=True, text=True, env=env)
    assert run.returncode == 0, run.stderr
    results = _by_repo(out)
    assert {n: r["status"] for n, r in results.items()} == {
        "clean": "ok", "sites": "ok", "python": "ok", "docs": "no-sources", "broken": "failed",
        "missing": "clone-failed"}
    sites = results["sites"]
    assert sites["summary"]["spawn"] == 1 and sites["summary"]["fork"] == 2 and sites["summary"]["review"] == 1
    assert sites["rewritten"] == 3 and len(sites["commits"]) == 2
    assert sites["review"][0]["path"] == "a.c" and "`failed = 1`" in sites["review"][0]["reason"]
    assert "unknown key `colour`" in results["broken"]["error"]
    cache = out / "cache" / sites["key"]
    assert git(cache, "log", "--format=%s", "-1", sites["commits"][-1]).startswith("b.c: run: ")
    assert git(cache, "branch", "--show-current").strip() == "vfork-codemod"

    again = subprocess.run(["parallel", "--will-cite", "--jobs", "2"], stdin=open(out / "jobs.txt"),
                           capture_output=True, text=True, env=env)
    assert again.stderr.count("up to date, skipped") == 4          # ok and no-sources are current
    proc = tool("campaign", "report", str(out), "--html")
    assert proc.returncode == 0, proc.stderr
    doc = json.loads((out / "summary.json").read_text())
    assert doc["totals"]["spawn"] == sum(r["summary"]["spawn"] for r in results.values() if r["summary"])
    assert doc["totals"]["rewritten"] == sum(r["rewritten"] for r in results.values())
    assert doc["totals"]["commits"] == sum(len(r["commits"]) for r in results.values())
    assert doc["totals"]["failed"] == 2 and doc["not_run"] == []
    md = (out / "summary.md").read_text()
    assert "| " + str(made["sites"]) + " | ok | 1 | 2 | 1 |" in md
    assert "<th>first review reason</th>" in (out / "summary.html").read_text()


def test_campaign_all_with_two_jobs_and_the_repositories_not_run(repos, tmp_path):
    made, listing = repos
    out = tmp_path / "campaign"
    proc = tool("campaign", "all", str(listing), "--out", str(out), "--jobs", "2")
    assert proc.returncode == 0, proc.stderr
    doc = json.loads((out / "summary.json").read_text())
    assert doc["totals"]["repositories"] == 6 and doc["totals"]["rewritten"] == 4
    with open(listing, "a") as fh:
        fh.write("repos/later\n")
    assert tool("campaign", "plan", str(listing), "--out", str(out)).returncode == 0
    proc = tool("campaign", "report", str(out))
    doc = json.loads((out / "summary.json").read_text())
    assert doc["not_run"] == [str(tmp_path / "repos" / "later")]
    assert "Not run yet (1):" in (out / "summary.md").read_text()


def test_a_new_commit_makes_the_result_stale(repos, tmp_path):
    made, listing = repos
    out = tmp_path / "campaign"
    assert tool("campaign", "run", str(made["clean"]), "--out", str(out)).returncode == 0
    proc = tool("campaign", "run", str(made["clean"]), "--out", str(out))
    assert "up to date, skipped" in proc.stderr
    (made["clean"] / "b.c").write_bytes(HANDOFF.read_bytes())
    git(made["clean"], "add", ".")
    git(made["clean"], "commit", "-q", "-m", "more")
    proc = tool("campaign", "run", str(made["clean"]), "--out", str(out))
    assert "skipped" not in proc.stderr and ": ok: 1 rewritten" in proc.stderr


def test_a_bad_repository_list_names_the_line(tmp_path):
    listing = tmp_path / "repos.txt"
    listing.write_text("one two\n")
    proc = tool("campaign", "plan", str(listing), "--out", str(tmp_path / "out"))
    assert proc.returncode == 2 and "repos.txt:1: one repository a line" in proc.stderr


def test_the_policy_flags_travel_into_every_job(tmp_path):
    listing = tmp_path / "repos.txt"
    listing.write_text(str(tmp_path / "some-repo") + "\n")
    out = tmp_path / "campaign"
    proc = tool("campaign", "plan", str(listing), "--out", str(out), "--strict-exits", "--spawnp")
    assert proc.returncode == 0, proc.stderr
    [job] = (out / "jobs.txt").read_text().splitlines()
    assert " --spawnp" in job and " --strict-exits" in job
    proc = tool("campaign", "plan", str(listing), "--out", str(tmp_path / "plain"))
    assert "--strict-exits" not in (tmp_path / "plain" / "jobs.txt").read_text()
