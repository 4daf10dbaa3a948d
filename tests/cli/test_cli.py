"""The command-line contract: output formats, exit codes, errors, writing."""
import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from golden import GOLDEN

SPAWN = GOLDEN / "c" / "spawn_execl_else_if" / "input.c"
REVIEW = GOLDEN / "c" / "review_store_before_exec" / "input.c"
NOTES = GOLDEN / "c" / "notes_only" / "input.c"
CLEAN = GOLDEN / "c" / "no_vfork_at_all" / "input.c"


def tree(tmp_path, **files):
    for name, src in files.items():
        p = tmp_path / name
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(Path(src).read_bytes() if isinstance(src, Path) else src)
    return tmp_path


def test_scan_text_lines(cli, tmp_path, monkeypatch):
    tree(tmp_path, **{"src/a.c": SPAWN, "src/b.c": REVIEW})
    monkeypatch.chdir(tmp_path)
    code, out, err = cli("scan", "src")
    lines = out.decode().splitlines()
    assert code == 1
    assert lines[0].startswith("src/a.c:12:8: spawn: fixable with posix_spawn: child (lines 16-19)")
    assert lines[1].startswith("src/b.c:15:8: review: needs review: `started = 1`")
    assert lines[-1] == "2 files scanned: 1 spawn, 0 fork, 1 review, 0 note; 1 fixable with `vfork-codemod apply`"


def test_scan_exit_zero_when_only_notes(cli, tmp_path):
    tree(tmp_path, **{"n.c": NOTES, "clean.c": CLEAN})
    code, out, _ = cli("scan", str(tmp_path))
    assert code == 0
    assert b": note: " in out


def test_scan_json_document(cli, tmp_path, monkeypatch):
    tree(tmp_path, **{"a.c": SPAWN})
    monkeypatch.chdir(tmp_path)
    code, out, _ = cli("scan", "--format", "json", ".", "missing.c")
    doc = json.loads(out)
    assert code == 2
    assert doc["version"] == 1
    (f,) = doc["findings"]
    assert set(f) == {"path", "line", "column", "language", "verdict", "rule", "message", "reasons", "function",
                      "suppressed", "fingerprint"}
    assert (f["path"], f["line"], f["column"], f["language"], f["verdict"], f["rule"], f["function"]) == \
        ("a.c", 12, 8, "c", "spawn", "vfork-to-spawn", "run_echo")
    assert f["reasons"] and all({"line", "kind", "message"} == set(r) for r in f["reasons"])
    assert doc["errors"] == [{"path": "missing.c", "message": "no such file or directory"}]
    assert doc["summary"]["spawn"] == 1 and doc["summary"]["files"] == 1


def test_missing_path_is_named_and_others_still_processed(cli, tmp_path):
    tree(tmp_path, **{"a.c": SPAWN})
    code, out, err = cli("diff", str(tmp_path / "nope"), str(tmp_path / "a.c"))
    assert code == 2
    assert f"{tmp_path / 'nope'}: no such file or directory" in err
    assert b"+++ b/" in out


def test_diff_exit_codes(cli, tmp_path):
    tree(tmp_path, **{"clean.c": CLEAN, "r.c": REVIEW})
    assert cli("diff", str(tmp_path))[0:2] == (0, b"")
    code, out, _ = cli("diff", "--include-review", str(tmp_path))
    assert code == 1 and b"+\tpid = fork();" in out


def test_apply_rewrites_in_place_keeping_mode(cli, tmp_path):
    target = tmp_path / "a.c"
    target.write_bytes(SPAWN.read_bytes())
    os.chmod(target, 0o640)
    code, _, err = cli("apply", str(tmp_path))
    assert code == 0
    assert target.read_bytes() == (SPAWN.parent / "expected.c").read_bytes()
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.c"]
    assert "rewrote 1 of 1 files" in err
    assert cli("diff", str(tmp_path))[0] == 0


def test_apply_leaves_review_sites_unless_asked(cli, tmp_path):
    target = tmp_path / "r.c"
    target.write_bytes(REVIEW.read_bytes())
    assert cli("apply", str(target))[0] == 0
    assert target.read_bytes() == REVIEW.read_bytes()
    assert cli("apply", "--include-review", str(target))[0] == 0
    assert b"pid = fork();" in target.read_bytes()


def test_walk_skips_git_and_other_files(cli, tmp_path):
    tree(tmp_path, **{".git/x.c": SPAWN, "notes.txt": SPAWN, "lib/y.h": SPAWN})
    code, out, _ = cli("scan", str(tmp_path))
    assert b"lib/y.h:12:8: spawn" in out
    assert b".git" not in out and b"notes.txt" not in out


def test_same_file_twice_is_processed_once(cli, tmp_path):
    tree(tmp_path, **{"a.c": SPAWN})
    code, out, _ = cli("scan", str(tmp_path / "a.c"), str(tmp_path), str(tmp_path / "." / "a.c"))
    assert out.count(b": spawn: ") == 1


def test_target_posix_turns_setsid_into_fork(cli):
    src = GOLDEN / "c" / "spawn_chdir_setsid_gnu" / "input.c"
    assert b": spawn: " in cli("scan", str(src))[1]
    code, out, _ = cli("scan", "--target", "posix", str(src))
    assert b": fork: " in out


def test_python_dash_m_runs_the_cli(tmp_path):
    tree(tmp_path, **{"a.c": SPAWN})
    proc = subprocess.run([sys.executable, "-m", "codemod", "scan", str(tmp_path)],
                          capture_output=True, text=True)
    assert proc.returncode == 1
    assert ": spawn: " in proc.stdout


def test_unknown_option_is_a_usage_error(cli):
    with pytest.raises(SystemExit) as exc:
        cli("scan", "--format", "xml")
    assert exc.value.code == 2


def test_diff_names_review_sites_on_stderr(cli, tmp_path):
    tree(tmp_path, **{"a.c": SPAWN, "r.c": REVIEW, "e.c": GOLDEN / "c" / "review_error_region" / "input.c"})
    code, out, err = cli("diff", str(tmp_path))
    assert code == 1
    assert f"{tmp_path / 'r.c'}:15:8: review: needs review: `started = 1`" in err
    assert "(--include-review applies the proposed fork rewrite)" in err.splitlines()[1]
    assert f"{tmp_path / 'e.c'}:10:8: review:" in err
    assert "--include-review" not in err.splitlines()[0]


PY_SPAWN = GOLDEN / "py" / "spawn_cdll_none_module_level" / "input.py"
PY2 = GOLDEN / "py" / "python2_file" / "input.py"


def test_python_files_share_the_contract(cli, tmp_path, monkeypatch):
    tree(tmp_path, **{"tool/run.py": PY_SPAWN, "tool/old.py": PY2, "src/a.c": SPAWN})
    monkeypatch.chdir(tmp_path)
    code, out, err = cli("scan", "--format", "json", ".")
    doc = json.loads(out)
    assert code == 2
    assert [(f["path"], f["language"], f["verdict"]) for f in doc["findings"]] == [
        ("src/a.c", "c", "spawn"), ("tool/run.py", "python", "spawn")]
    (error,) = doc["errors"]
    assert error["path"] == "tool/old.py"
    assert error["message"].startswith("cannot parse as Python 3: syntax error at line 5")
    code, out, err = cli("diff", ".")
    assert code == 2
    assert b"+++ b/tool/run.py" in out and b"+++ b/src/a.c" in out
    assert "tool/old.py: cannot parse as Python 3" in err


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_a_reader_that_goes_away_ends_the_run_quietly(tmp_path, fmt):
    """`scan | head`: the pipe closes before the report is written; no
    traceback, and the shell's status for SIGPIPE (128 + 13)."""
    import shutil
    import subprocess
    import sys
    from golden import GOLDEN
    shutil.copy(GOLDEN / "c" / "spawn_decl_init" / "input.c", tmp_path / "a.c")
    proc = subprocess.Popen([sys.executable, "-m", "codemod", "scan", "--format", fmt, str(tmp_path)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stdout.close()                       # the reader is gone before anything is written
    err = proc.stderr.read()
    assert proc.wait() == 141 and err == b"", err
