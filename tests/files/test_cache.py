"""The persistent cache (codemod.files.cache): a re-run reports exactly
what a run without the cache reports, over the golden trees and along a
random sequence of edits; entries are whole, a corrupt one is rewritten,
and --no-cache, --cache-dir and the folder's .gitignore behave as said."""
import json
import os
import pickle
import random
import shutil
import subprocess
import sys

import pytest

from golden import GOLDEN
from codemod.files import cache as caching

OLD = 1_600_000_000     # a time long past: files set to it are not "racily clean"


@pytest.fixture(autouse=True)
def cache_on(monkeypatch):
    monkeypatch.delenv("VFORK_CODEMOD_NO_CACHE", raising=False)
    monkeypatch.delenv("VFORK_CODEMOD_CACHE_DIR", raising=False)


def settle(root):
    """Give every file and folder an old mtime (a real edit is seconds in
    the past); their ctimes still tell every change apart."""
    for base, _, names in os.walk(root):
        for n in names:
            os.utime(os.path.join(base, n), (OLD, OLD))
        os.utime(base, (OLD, OLD))


def entries(folder):
    """The cache entries (not the replay records of codemod.files.replay)."""
    return [p for p in os.listdir(folder) if not p.startswith((".", "replay-"))]


def outcome(monkeypatch):
    """Record the cache's outcome of each run."""
    seen = []
    real = caching.Cache.head

    def head(self):
        got = real(self)
        if not seen or seen[-1] is not self:
            seen.append(self)
        return got
    monkeypatch.setattr(caching.Cache, "head", head)
    return seen


COMMANDS = [("scan", "--format", "json"), ("diff",), ("diff", "--include-review"), ("scan", "--explain")]


@pytest.mark.parametrize("tree", ["c", "py"])   # c holds the project cases (folders)
def test_cached_runs_report_what_uncached_runs_report_on_the_golden_trees(tmp_path, cli, monkeypatch, tree):
    root = tmp_path / "tree"
    shutil.copytree(GOLDEN / tree, root)
    settle(root)
    monkeypatch.chdir(tmp_path)
    seen = outcome(monkeypatch)
    for args in COMMANDS:
        plain = cli(*args, "--no-cache", "tree")
        cold = cli(*args, "tree")
        warm = cli(*args, "tree")
        assert cold == plain and warm == plain, args
        assert seen[-1].outcome == "hit"
    assert os.path.exists(tmp_path / ".vfork-codemod-cache" / ".gitignore")
    assert (tmp_path / ".vfork-codemod-cache" / ".gitignore").read_text().endswith("*\n")


PROJECT_MAIN = """#include <unistd.h>
#include "helpers.h"
int run(char **argv)
{
	pid_t pid = vfork();
	if (pid == 0) {
		prepare(3);
		execv(argv[0], argv);
		_exit(127);
	}
	return pid;
}
"""
HELPERS_H = "void prepare(int fd);\n"
HELPERS_C = "#include <unistd.h>\nvoid prepare(int fd)\n{\n\tclose(fd);\n}\n"
EDITS = [
    ("touch", None), ("comment", "/* a comment */\n"), ("top", "/* moved down */\n"),
    ("define", "void prepare(int fd)\n{\n\tputs(\"x\");\n}\n"), ("call", "int f(void)\n{\n\treturn prepare(1), 0;\n}\n"),
    ("wrapper", "#define XVFORK() vfork()\n"), ("site", "int g(char **a)\n{\n\tif (vfork() == 0)\n\t\t_exit(1);\n\treturn 0;\n}\n"),
    ("include", '#include "helpers.h"\n'), ("new", "int unrelated(void)\n{\n\treturn 1;\n}\n"), ("delete", None),
    ("global", "int counter;\n"),
    # Edits that change what the walk finds: a replayed walk must notice them.
    ("ignore", "helpers.c\n"), ("ignore", "other*.c\n"), ("ignore", "!other1.c\n"), ("ignore", "sub/\n"),
    ("folder", "int h(char **a)\n{\n\tif (vfork() == 0)\n\t\texecv(a[0], a);\n\treturn 0;\n}\n"),
]


def test_a_random_sequence_of_edits_keeps_cached_and_uncached_runs_equal(tmp_path, cli, monkeypatch):
    root = tmp_path / "tree"
    (root / "lib").mkdir(parents=True)
    (root / "main.c").write_text(PROJECT_MAIN)
    (root / "lib" / "helpers.h").write_text(HELPERS_H)
    (root / "lib" / "helpers.c").write_text(HELPERS_C)
    for i in range(4):
        (root / "lib" / f"other{i}.c").write_text(f"int other{i}(int x)\n{{\n\treturn x + {i};\n}}\n")
    monkeypatch.chdir(tmp_path)
    seen = outcome(monkeypatch)
    rng = random.Random(2026)
    outcomes = set()
    for step in range(60):
        files = sorted(p for p in root.rglob("*") if p.is_file() and p.name != ".gitignore")
        kind, text = rng.choice(EDITS)
        target = rng.choice(files)
        if kind == "touch":
            os.utime(target, (OLD + step, OLD + step))
        elif kind == "delete":
            if len(files) > 3 and target.name != "main.c":
                target.unlink()
        elif kind == "new":
            (root / "lib" / f"new{step}.c").write_text(text)
        elif kind == "ignore":
            with open(rng.choice([root, root / "lib"]) / ".gitignore", "a") as fh:
                fh.write(text)
        elif kind == "folder":
            folder = root / "lib" / "sub" / f"d{step}"
            folder.mkdir(parents=True)
            (folder / "site.c").write_text("#include <unistd.h>\n" + text)
        elif kind == "top":
            target.write_bytes(text.encode() + target.read_bytes())
        else:
            with open(target, "a") as fh:
                fh.write(text)
        settled = rng.random() < 0.7
        if settled:
            settle(root)
        for args in (("scan", "--format", "json"), ("diff",)):
            want = cli(*args, "--no-cache", "tree")
            got = cli(*args, "tree")
            assert got == want, (step, kind, target.name, args)
            outcomes.add(seen[-1].outcome)
            if settled:                         # nothing changed since: a stat walk
                assert cli(*args, "tree") == want and seen[-1].outcome == "hit"
    assert {"kept", "miss"} <= outcomes


def test_a_run_over_an_unchanged_tree_replays_the_walk(tmp_path, cli, monkeypatch):
    root = tmp_path / "tree"
    shutil.copytree(GOLDEN / "c", root)
    (root / ".gitignore").write_text("fork_*/\n")
    settle(root)
    monkeypatch.chdir(tmp_path)
    seen = outcome(monkeypatch)
    want = cli("scan", "--format", "json", "tree")
    assert cli("scan", "--format", "json", "tree") == want and seen[-1].outcome == "hit"   # records the walk
    import codemod.cli

    def no_walk(*a, **k):
        raise AssertionError("walked")
    monkeypatch.setattr(codemod.cli, "discover_groups", no_walk)
    assert cli("scan", "--format", "json", "tree") == want and seen[-1].outcome == "hit"
    assert cli("scan", "tree")[1].startswith(b"tree/")      # text needs no project summary either
    monkeypatch.undo()
    seen = outcome(monkeypatch)
    (root / ".gitignore").write_text("")                     # the fork_ cases come back
    settle(root)
    assert cli("scan", "--format", "json", "tree") == cli("scan", "--no-cache", "--format", "json", "tree") != want
    assert seen[0].outcome == "miss"


def test_a_file_touched_with_its_bytes_kept_keeps_the_entry(tmp_path, cli, monkeypatch):
    root = tmp_path / "tree"
    shutil.copytree(GOLDEN / "c", root)
    settle(root)
    monkeypatch.chdir(tmp_path)
    seen = outcome(monkeypatch)
    want = cli("scan", "--format", "json", "tree")
    site = root / json.loads(want[1])["findings"][0]["path"].split("/", 1)[1]
    os.utime(site, (OLD + 5, OLD + 5))                     # touched: same bytes
    assert cli("scan", "--format", "json", "tree") == want and seen[-1].outcome == "kept"
    site.write_bytes(site.read_bytes().replace(b"vfork()", b"fork()", 1))
    os.utime(site, (OLD + 9, OLD + 9))
    got = cli("scan", "--format", "json", "tree")
    assert seen[-1].outcome == "miss" and got != want and got == cli("scan", "--no-cache", "--format", "json", "tree")


def test_a_corrupt_entry_is_ignored_and_rewritten(tmp_path, cli, monkeypatch):
    root = tmp_path / "tree"
    shutil.copytree(GOLDEN / "c", root)
    settle(root)
    monkeypatch.chdir(tmp_path)
    want = cli("scan", "--format", "json", "tree")
    folder = tmp_path / ".vfork-codemod-cache"
    (name,) = entries(folder)
    (folder / name).write_bytes(b"\x80\x05not a pickle")
    assert cli("scan", "--format", "json", "tree") == want
    assert isinstance(caching.decode((folder / name).read_bytes()), caching.Entry)
    (folder / name).write_bytes(pickle.dumps({"another": "version"}))
    assert cli("scan", "--format", "json", "tree") == want
    assert isinstance(caching.decode((folder / name).read_bytes()), caching.Entry)


def test_no_cache_writes_nothing_and_cache_dir_is_used(tmp_path, cli, monkeypatch):
    root = tmp_path / "tree"
    shutil.copytree(GOLDEN / "c", root)
    monkeypatch.chdir(tmp_path)
    cli("scan", "--no-cache", "tree")
    assert not (tmp_path / ".vfork-codemod-cache").exists()
    cli("scan", "--cache-dir", str(tmp_path / "elsewhere"), "tree")
    assert entries(tmp_path / "elsewhere") and not (tmp_path / ".vfork-codemod-cache").exists()
    monkeypatch.setenv("VFORK_CODEMOD_NO_CACHE", "1")
    cli("scan", "tree")
    assert not (tmp_path / ".vfork-codemod-cache").exists()


def test_apply_and_review_do_not_use_the_cache(tmp_path, cli, monkeypatch):
    root = tmp_path / "tree"
    shutil.copytree(GOLDEN / "c" / "spawn_execl_else_if", root)
    monkeypatch.chdir(tmp_path)
    cli("apply", "tree")
    cli("review", "--out", str(tmp_path / "out"), "tree")
    assert not (tmp_path / ".vfork-codemod-cache").exists()


def test_two_runs_sharing_the_cache_leave_a_whole_entry(tmp_path):
    root = tmp_path / "tree"
    shutil.copytree(GOLDEN / "c", root)
    settle(root)
    env = {k: v for k, v in os.environ.items() if not k.startswith("VFORK_CODEMOD")}
    cmd = [sys.executable, "-m", "codemod", "scan", "--format", "json", "tree"]
    runs = [subprocess.Popen(cmd, cwd=tmp_path, env=env, stdout=subprocess.PIPE) for _ in range(4)]
    outs = [r.communicate()[0] for r in runs]
    assert len(set(outs)) == 1 and json.loads(outs[0])["findings"]
    folder = tmp_path / ".vfork-codemod-cache"
    assert not [n for n in os.listdir(folder) if n.endswith(".tmp")]
    (name,) = entries(folder)
    assert isinstance(caching.decode((folder / name).read_bytes()), caching.Entry)
    again = subprocess.run(cmd, cwd=tmp_path, env=env, stdout=subprocess.PIPE).stdout
    assert again == outs[0]


def test_a_replayed_walk_notices_the_repository_ignore_files(tmp_path, cli, monkeypatch):
    """.git/info/exclude made, core.excludesFile set, a folder's .gitignore
    edited: each changes what the walk finds, and the cached run says so."""
    if shutil.which("git") is None:
        pytest.skip("git not installed")
    root = tmp_path / "repo"
    shutil.copytree(GOLDEN / "c", root)
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    monkeypatch.setenv("HOME", str(tmp_path))             # the user's git configuration: none
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    monkeypatch.chdir(root)
    scan = ("scan", "--format", "json", ".")

    from codemod.files.gitconfig import forget_git_config

    def same():
        settle(root)
        forget_git_config()               # each run is a new process
        cli(*scan)                        # records the walk when the last one could not be replayed
        got = cli(*scan)
        assert got == cli(*scan[:1], "--no-cache", *scan[1:])
        return got
    first = same()
    (root / ".git" / "info").mkdir(exist_ok=True)
    (root / ".git" / "info" / "exclude").write_text("spawn_*/\n")
    second = same()
    assert second != first
    (tmp_path / "global-ignore").write_text("fork_*/\n")
    subprocess.run(["git", "config", "core.excludesFile", str(tmp_path / "global-ignore")], cwd=root, check=True)
    third = same()
    assert third != second
    folder = next(p for p in sorted(root.iterdir()) if p.is_dir() and p.name.startswith("review_"))
    (folder / ".gitignore").write_text("*.c\n")
    assert same() != third


def test_a_file_changed_during_the_run_gets_no_digest(tmp_path):
    """The run may have read either version: the next run must analyse it."""
    a, b = tmp_path / "a.c", tmp_path / "b.c"
    a.write_text("int a;\n")
    b.write_text("int b;\n")
    stats = {str(p): caching.signature(str(p)) for p in (a, b)}
    b.write_text("int b2;\n")
    got = caching.digests([str(a), str(b)], stats)
    assert set(got) == {str(a)} and got[str(a)] == caching.digest_of(str(a))


def test_the_project_summary_a_json_report_makes_is_kept_for_the_next_run(tmp_path, cli, monkeypatch):
    root = tmp_path / "tree"
    shutil.copytree(GOLDEN / "c", root)
    settle(root)
    monkeypatch.chdir(tmp_path)
    cli("scan", "tree")                                 # text: no summary made
    cli("scan", "tree")                                 # records the walk
    want = cli("scan", "--no-cache", "--format", "json", "tree")
    assert cli("scan", "--format", "json", "tree") == want     # makes the summary from the knowledge
    loads = []
    real = caching.Cache.load
    monkeypatch.setattr(caching.Cache, "load", lambda self: loads.append(1) or real(self))
    assert cli("scan", "--format", "json", "tree") == want and not loads
    (name,) = entries(tmp_path / ".vfork-codemod-cache")
    entry = caching.decode((tmp_path / ".vfork-codemod-cache" / name).read_bytes())
    assert entry.walk is not None and "described" in entry.memo


def test_an_edited_build_under_the_same_version_gets_its_own_entries(tmp_path, monkeypatch):
    # An editable install or a checkout whose code changed keeps its version
    # number: the key must still change, or the cache serves old findings.
    import codemod
    from codemod.files import cache as cache_module
    package = tmp_path / "site" / "codemod"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("__version__ = 'x'\n")
    (package / "rule.py").write_text("A = 1\n")
    monkeypatch.setattr(codemod, "__file__", str(package / "__init__.py"))
    cache_module.build.cache_clear()
    try:
        before = cache_module.key(("scan", ".")), cache_module.build()
        assert any(os.path.basename(name) == "rule.py" for name, *_ in before[1])
        (package / "rule.py").write_text("A = 22\n")
        cache_module.build.cache_clear()
        assert cache_module.key(("scan", ".")) != before[0]
    finally:
        cache_module.build.cache_clear()
