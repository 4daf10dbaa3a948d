"""The warm run's fast path (codemod.files.replay): a run repeated over an
unchanged tree prints, byte for byte and with the same exit status, what
the run before printed, without loading the tool; any change to what the
output depends on (a file, a folder, the configuration, the environment,
the arguments, the tool, the record itself) sends the run to the full
path, which records again.

The recording run is a real process (the recorder installs itself only
over the process's own streams); the replay is checked in this process
with :func:`replay.answer`, which returns None when it would not answer,
and through the command itself."""
import marshal
import os
import shutil
import subprocess
import sys
import time

import pytest

from golden import GOLDEN
from test_cache import OLD, cache_on, settle  # noqa: F401 - cache_on: the cache turned on for every test
from codemod.files import replay


@pytest.fixture(autouse=True)
def same_package(monkeypatch):
    """The command's processes run the package this process imported (a
    checkout beside an installed copy, as in CI, would otherwise record
    with one and be asked with the other: another tool, no replay)."""
    import codemod
    root = os.path.dirname(os.path.dirname(os.path.abspath(codemod.__file__)))
    old = os.environ.get("PYTHONPATH")
    monkeypatch.setenv("PYTHONPATH", root + (os.pathsep + old if old else ""))


@pytest.fixture(autouse=True)
def settled_tool():
    """The tool's own files older than the racy window (a checkout made a
    moment ago is an input that may still change: nothing is recorded)."""
    from codemod.files import stamps
    newest = max(sig[1] for _, sig in stamps.tool_files() if sig)
    wait = newest + stamps.RECENT_NS - time.time_ns()
    if wait > 0:
        time.sleep(wait / 1e9 + 0.05)


@pytest.fixture
def tree(tmp_path, monkeypatch):
    root = tmp_path / "tree"
    shutil.copytree(GOLDEN / "c", root)
    # As after a first run: making the cache folder changes the tree's own
    # folder, so the walk of that run cannot be replayed by the next.
    (root / replay.DIRECTORY).mkdir()
    settle(root)
    monkeypatch.chdir(root)
    return root


def run(*args):
    """The command in a process of its own, here: (status, stdout, stderr)."""
    proc = subprocess.run([sys.executable, "-m", "codemod", *args], stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, env=dict(os.environ))
    return proc.returncode, proc.stdout, proc.stderr


def answered(capfd, *args):
    """What the fast path answers here: (status, stdout, stderr), or None."""
    capfd.readouterr()
    status = replay.answer(list(args))
    out, err = capfd.readouterr()
    if status is None:
        assert out == err == b""         # a run it does not answer gets nothing from it
        return None
    return status, out, err


def records(root):
    folder = root / replay.DIRECTORY
    return sorted(p for p in os.listdir(folder) if p.startswith("replay-")) if folder.is_dir() else []


@pytest.mark.parametrize("args", [("scan",), ("scan", "--format", "json"), ("diff", "--include-review"),
                                  ("scan", "--format", "sarif"), ("--color", "never", "scan", "--explain", ".")])
def test_a_repeated_run_prints_what_the_run_before_printed(tree, capfdbinary, args):
    first = run(*args)
    assert first[0] in (0, 1) and first[1]
    assert answered(capfdbinary, *args) == first
    assert run(*args) == first            # through the command, whichever path answers


def test_diff_replays_standard_error_and_the_status(tree, capfdbinary):
    first = run("diff")
    assert first[0] == 1 and b"review:" in first[2]       # the sites diff left alone, on stderr
    assert answered(capfdbinary, "diff") == first


@pytest.mark.parametrize("in_git", [False, True])
def test_the_fast_path_loads_neither_the_parser_nor_the_engines(tree, in_git):
    if in_git:
        # In a repository it asks git for core.excludesFile, still without the walk's modules.
        subprocess.run(["git", "init", "-q", str(tree)], check=True)
        settle(tree)
        run("scan", "--format", "json")
        settle(tree)
    run("scan", "--format", "json")
    proc = subprocess.run([sys.executable, "-X", "importtime", "-m", "codemod", "scan", "--format", "json"],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=dict(os.environ), text=True)
    loaded = {line.split("|")[-1].strip() for line in proc.stderr.splitlines() if line.startswith("import time:")}
    assert "codemod.files.replay" in loaded
    assert not loaded & {"argparse", "codemod.cli", "codemod.files.cache", "codemod.files.walk", "pickle",
                         "dataclasses", "typing"}
    assert ("codemod.files.gitconfig" in loaded) == in_git


# Each change below sends the next run to the full path, which prints what
# a run without the cache prints and records again.

def edit_a_file_with_a_site(root):
    path = next(p for p in sorted(root.rglob("*.c")) if b"vfork" in p.read_bytes())
    path.write_bytes(path.read_bytes() + b"\n")


def add_a_file(root):
    (root / "new.c").write_bytes(b"int f(void) { return 0; }\n")


def touch_a_file_without_a_site(root):
    (root / "quiet.c").write_bytes(b"int g(void) { return 1; }\n")


def add_a_configuration(root):
    (root / ".vfork-codemod.toml").write_text('target = "posix"\n')


def add_a_gitignore(root):
    (root / ".gitignore").write_text("*.c\n")


@pytest.mark.parametrize("change", [edit_a_file_with_a_site, add_a_file, add_a_configuration, add_a_gitignore])
def test_a_change_sends_the_run_to_the_full_path(tree, capfdbinary, change):
    first = run("scan", "--format", "json")
    assert answered(capfdbinary, "scan", "--format", "json") == first
    change(tree)
    assert answered(capfdbinary, "scan", "--format", "json") is None
    full = run("scan", "--format", "json", "--no-cache")
    assert run("scan", "--format", "json") == full
    settle(tree)                           # the change now two seconds old: recorded again
    again = run("scan", "--format", "json")
    assert again == full and answered(capfdbinary, "scan", "--format", "json") == again


def test_a_file_without_a_site_touched_is_a_change_too(tree, capfdbinary):
    touch_a_file_without_a_site(tree)
    settle(tree)
    first = run("scan")
    os.utime(tree / "quiet.c", (OLD + 5, OLD + 5))
    assert answered(capfdbinary, "scan") is None
    assert run("scan") == first


def test_a_file_with_a_site_touched_but_holding_the_same_bytes_is_replayed(tree, capfdbinary):
    first = run("scan", "--format", "json")
    path = next(p for p in sorted(tree.rglob("*.c")) if b"vfork" in p.read_bytes())
    os.utime(path)                                   # now: racily clean too
    assert answered(capfdbinary, "scan", "--format", "json") == first
    data = path.read_bytes()
    path.write_bytes(data.replace(b"vfork", b"vf0rk", 1))
    assert answered(capfdbinary, "scan", "--format", "json") is None
    path.write_bytes(data)                           # the same bytes again, a new inode's worth of stat
    assert answered(capfdbinary, "scan", "--format", "json") == first


def test_the_environment_and_the_arguments_are_part_of_the_record(tree, capfdbinary, monkeypatch):
    first = run("scan")
    assert answered(capfdbinary, "scan") == first
    assert answered(capfdbinary, "scan", ".") is None           # the same run, said otherwise: its own record
    monkeypatch.setenv("NO_COLOR", "1")
    assert answered(capfdbinary, "scan") is None
    monkeypatch.delenv("NO_COLOR")
    monkeypatch.setenv("VFORK_CODEMOD_RG", "none")
    assert answered(capfdbinary, "scan") is None
    monkeypatch.delenv("VFORK_CODEMOD_RG")
    assert answered(capfdbinary, "scan") == first
    os.chdir(tree.parent)
    assert answered(capfdbinary, "scan", "tree") is None


def test_a_configuration_above_the_tree_is_found_and_checked(tree, capfdbinary):
    (tree / "pyproject.toml").write_text('[tool.vfork-codemod]\nexclude = ["vendor/"]\n')
    sub = tree / "project"
    os.makedirs(sub / "a")
    shutil.copy(next(p for p in sorted(tree.rglob("*.c")) if b"vfork" in p.read_bytes()), sub / "a" / "x.c")
    settle(tree)
    first = run("scan", "project")
    assert records(tree) and not (sub / replay.DIRECTORY).exists()    # beside the configuration file
    assert answered(capfdbinary, "scan", "project") == first
    os.utime(tree / "pyproject.toml", (OLD + 5, OLD + 5))
    assert answered(capfdbinary, "scan", "project") is None


@pytest.mark.parametrize("flag, name, content", [
    ("--config", "settings.toml", 'target = "posix"\n'),
    ("--baseline", "baseline.json", None),              # a baseline of the tree's own findings
])
def test_a_configuration_or_baseline_named_on_the_command_line_is_checked(tree, capfdbinary, flag, name, content):
    path = tree.parent / name
    path.write_bytes(content.encode() if content else run("scan", "--format", "json")[1])
    settle(tree.parent)
    args = ("scan", flag, str(path))
    first = run(*args)
    assert answered(capfdbinary, *args) == first
    os.utime(path, (OLD + 5, OLD + 5))                  # a new stat: perhaps new contents
    assert answered(capfdbinary, *args) is None


def tamper(root, how):
    (name,) = records(root)
    path = root / replay.DIRECTORY / name
    record = marshal.loads(path.read_bytes())
    how(record, path)


def other_tool_file(record, path):
    record["inputs"][-1] = (record["inputs"][-1][0], (1, 2, 3, 4))
    path.write_bytes(marshal.dumps(record))


def other_stat(record, path):
    some = next(iter(record["stats"]))
    record["stats"][some] = (0, 0, 0, 0)
    path.write_bytes(marshal.dumps(record))


def other_key(record, path):
    record["key"] = record["key"][:-1] + (not record["key"][-1],)
    path.write_bytes(marshal.dumps(record))


def corrupt(record, path):
    path.write_bytes(path.read_bytes()[:100])


def not_a_record(record, path):
    path.write_bytes(marshal.dumps([1, 2, 3]))


def without_its_output(record, path):
    del record["writes"]
    path.write_bytes(marshal.dumps(record))


def output_for_another_descriptor(record, path):
    record["writes"] = [(7, b"x")]
    path.write_bytes(marshal.dumps(record))


@pytest.mark.parametrize("how", [other_tool_file, other_stat, other_key, corrupt, not_a_record, without_its_output,
                                 output_for_another_descriptor])
def test_a_record_that_does_not_hold_is_ignored_and_rewritten(tree, capfdbinary, how):
    first = run("scan", "--format", "json")
    tamper(tree, how)
    assert answered(capfdbinary, "scan", "--format", "json") is None
    assert run("scan", "--format", "json") == first
    assert answered(capfdbinary, "scan", "--format", "json") == first


def test_a_tree_just_written_is_not_recorded_until_it_settles(tmp_path, capfdbinary, monkeypatch):
    root = tmp_path / "fresh"
    shutil.copytree(GOLDEN / "c", root)
    for base, _, names in os.walk(root):         # every file written now: any may change again unseen
        for n in names + [""]:
            os.utime(os.path.join(base, n))
    monkeypatch.chdir(root)
    first = run("scan")
    assert answered(capfdbinary, "scan") is None and records(root) == []
    settle(root)
    assert run("scan") == first and answered(capfdbinary, "scan") == first


def test_the_run_that_makes_the_cache_folder_is_replayed_after_the_next(tmp_path, capfdbinary, monkeypatch):
    root = tmp_path / "first"
    shutil.copytree(GOLDEN / "c", root)
    settle(root)
    monkeypatch.chdir(root)
    first = run("scan")
    assert answered(capfdbinary, "scan") is None      # its walk saw the tree's folder before the cache folder was made
    settle(root)
    assert run("scan") == first and answered(capfdbinary, "scan") == first


@pytest.mark.parametrize("args", [("scan", "--no-cache"), ("scan", "-o", "out.txt"), ("scan", "--output-file=out.txt"),
                                  ("scan", "--include-dir", "."), ("diff", "-"), ("apply",), ("scan", "--help")])
def test_runs_whose_output_is_not_a_repeatable_report_are_never_recorded(tree, capfdbinary, args):
    proc = subprocess.run([sys.executable, "-m", "codemod", *args], input=b"", capture_output=True,
                          env=dict(os.environ), cwd=tree)
    assert proc.returncode in (0, 1, 2)
    assert records(tree) == []
    assert answered(capfdbinary, *args) is None


def test_an_output_larger_than_the_budget_is_not_recorded(monkeypatch):
    rec = replay.Recorder(("key",), time.time_ns())
    monkeypatch.setattr(replay, "LIMIT", 10)
    rec.add(1, b"12345")
    rec.add(1, b"67890")
    assert rec.writes == [(1, b"1234567890")]
    rec.add(2, b"x")
    walk = type("Walk", (), {"args": (), "dirs": {}, "probes": {}, "exists": {}, "excludes_files": {}})
    assert rec.record(0, [], walk, {}) is None
    small = replay.Recorder(("key",), time.time_ns())
    small.add(1, b"ok")
    assert small.record(0, [], walk, {}) is not None
    assert small.record(0, [], walk, {"f.c": None}) is None        # a file of unknown state
    assert small.record(0, [], None, {}) is None                    # a walk that could not be recorded
    assert small.record(130, [], walk, {}) is None                  # an interrupted run


def test_a_forked_worker_writing_to_the_streams_spoils_the_record():
    walk = type("Walk", (), {"args": (), "dirs": {}, "probes": {}, "exists": {}, "excludes_files": {}})
    rec = replay.Recorder(("key",), time.time_ns())
    rec.add(1, b"report\n")
    pid = os.fork()
    if pid == 0:
        rec.add(2, b"a warning from a worker\n")        # what its copy of the tee would record, lost
        os._exit(0)
    os.waitpid(pid, 0)
    assert rec.writes == [(1, b"report\n")]
    assert rec.record(0, [], walk, {}) is None
    rec.close()
    quiet = replay.Recorder(("key",), time.time_ns())
    quiet.add(1, b"report\n")
    assert quiet.record(0, [], walk, {}) is not None
    quiet.close()


def test_a_reader_gone_ends_the_replay_as_it_ends_a_run(tree):
    run("diff", "--include-review")
    proc = subprocess.run(f"'{sys.executable}' -m codemod diff --include-review | head -c 1 >/dev/null; "
                          "echo ${PIPESTATUS[0]}", shell=True, executable="/bin/bash", capture_output=True,
                          env=dict(os.environ), text=True)
    assert proc.stdout.strip() in ("1", "141")     # all written before head left, or the pipe broke
    assert "Traceback" not in proc.stderr


def test_the_options_taking_a_value_are_the_parsers():
    from codemod import cli
    taking = set()
    for command in replay.COMMANDS:
        parser = cli._parser(command)
        actions = list(parser._actions)
        for action in parser._actions:
            if getattr(action, "choices", None) and command in (action.choices or {}):
                actions += action.choices[command]._actions
        taking |= {s for a in actions if a.option_strings and a.nargs is None for s in a.option_strings}
    assert replay.VALUED == taking


def test_the_cache_folder_is_the_caches():
    from codemod.files import cache
    assert cache.DIRECTORY == replay.DIRECTORY
