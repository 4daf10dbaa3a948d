"""Bad input, odd files and interruption lose nothing.  Each test here fails
without the behaviour it names."""
import os
import signal
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from codemod.files import atomic as files_mod
from golden import GOLDEN

SPAWN = GOLDEN / "c" / "spawn_execl_else_if"
PY = GOLDEN / "py" / "fork_if_call_eq_zero"


def put(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


# -- encodings -------------------------------------------------------------

def test_python_coding_cookie_and_bom_survive(cli, tmp_path):
    latin = b"# -*- coding: latin-1 -*-\n# caf\xe9\n" + (PY / "input.py").read_bytes().replace(
        b'"no variable"', b'"\xe9t\xe9"')
    bom = b"\xef\xbb\xbf" + (PY / "input.py").read_bytes()
    put(tmp_path / "latin.py", latin)
    put(tmp_path / "bom.py", bom)
    assert cli("apply", str(tmp_path))[0] == 0
    new_latin = (tmp_path / "latin.py").read_bytes()
    assert new_latin.startswith(b"# -*- coding: latin-1 -*-\n# caf\xe9\n")
    assert b'os.execv("/bin/echo", ["echo", "\xe9t\xe9"])' in new_latin and b"os.fork()" in new_latin
    new_bom = (tmp_path / "bom.py").read_bytes()
    assert new_bom.startswith(b"\xef\xbb\xbfimport os") and b"os.fork()" in new_bom


def test_undecodable_python_is_reported_and_others_continue(cli, tmp_path):
    put(tmp_path / "bad.py", b"import ctypes\n# caf\xe9 without a coding line\nctypes.CDLL(None).vfork()\n")
    put(tmp_path / "good.c", (SPAWN / "input.c").read_bytes())
    code, out, err = cli("scan", str(tmp_path))
    assert code == 2
    assert f"{tmp_path / 'bad.py'}: cannot decode (is a PEP 263 coding line missing?)" in err
    assert b"good.c:12:8: spawn" in out


def test_latin1_c_bytes_survive_byte_for_byte(cli, tmp_path):
    src = (GOLDEN / "c" / "style_latin1_comment" / "input.c").read_bytes()
    target = put(tmp_path / "l.c", src)
    assert cli("apply", str(target))[0] == 0
    new = target.read_bytes()
    assert b"/* Auteur : Fran\xe7ois, d\xe9cembre 1994 */" in new
    assert new == (GOLDEN / "c" / "style_latin1_comment" / "expected.c").read_bytes()


# -- binary files ------------------------------------------------------------

def test_files_with_nul_bytes_are_skipped_with_a_note(cli, tmp_path):
    blob = b"\x7fELF\0\0\0vfork\0" + (SPAWN / "input.c").read_bytes()
    target = put(tmp_path / "blob.c", blob)
    put(tmp_path / "ok.c", (SPAWN / "input.c").read_bytes())
    code, out, err = cli("apply", str(tmp_path))
    assert code == 0
    assert f"{target}: note: binary file (it contains NUL bytes): skipped" in err
    assert target.read_bytes() == blob
    assert b"posix_spawn" in (tmp_path / "ok.c").read_bytes()
    import json
    doc = json.loads(cli("scan", "--format", "json", str(tmp_path))[1])
    assert doc["skipped"] == [{"path": str(target), "message": "binary file (it contains NUL bytes): skipped"}]


# -- syntax errors -----------------------------------------------------------

def test_broken_c_is_processed_and_never_rewritten_inside_errors(cli, tmp_path):
    src = b"int f(void) {\n\tpid_t p = vfork();\n\tif (p == 0) { execl(\"/bin/true\", \"true\", 0 ]]; _exit(1); }\n"
    target = put(tmp_path / "broken.c", src)
    code, out, err = cli("diff", "--include-review", str(target))
    assert code == 0 and out == b""
    assert ": review: " in err
    assert target.read_bytes() == src


# -- extremes ----------------------------------------------------------------

def test_big_file_long_line_and_empty_file(cli, tmp_path):
    filler = b"static int x%d = %d;\n"
    big = b"".join(filler % (i, i) for i in range(1_000_000))       # about 24 MB
    put(tmp_path / "big.c", big + (SPAWN / "input.c").read_bytes().replace(b"int main", b"int main2"))
    put(tmp_path / "long.c", b"int y = 0" + b" + 1" * 300_000 + b";\n" + (SPAWN / "input.c").read_bytes())
    put(tmp_path / "empty.c", b"")
    start = time.monotonic()
    code, out, _ = cli("scan", str(tmp_path))
    assert code == 1
    assert out.count(b": spawn: ") == 2
    assert time.monotonic() - start < 60


def test_deep_nesting_does_not_crash(cli, tmp_path):
    depth = 3000
    body = b"if (x) {\n" * depth + b"pid_t p = vfork();\nif (p == 0) { _exit(0); }\n" + b"}\n" * depth
    put(tmp_path / "deep.c", b"void f(int x) {\n" + body + b"}\n")
    put(tmp_path / "deep.py", b"import ctypes\n" + b"".join(
        b"    " * i + b"if x:\n" for i in range(200)) + b"    " * 200 + b"ctypes.CDLL(None).vfork()\n")
    code, out, err = cli("scan", str(tmp_path))
    assert code == 2
    assert "deep.c: nesting too deep to analyse: the `vfork` at line 3002 is nested more than 1,000 levels" in err
    assert "Traceback" not in err


def test_no_final_newline_stays_missing(cli, tmp_path):
    case = GOLDEN / "c" / "style_no_final_newline"
    target = put(tmp_path / "n.c", (case / "input.c").read_bytes())
    assert not target.read_bytes().endswith(b"\n")
    assert cli("apply", str(target))[0] == 0
    assert target.read_bytes() == (case / "expected.c").read_bytes()
    assert not target.read_bytes().endswith(b"\n")


# -- paths -------------------------------------------------------------------

ODD_NAMES = [b"new\nline.c", b"caf\xe9.c", b"sp ace.c", b'q"uo\\te.c', b"-dash.c"]


def test_odd_file_names_survive_every_output(cli, tmp_path, monkeypatch):
    """Names with a newline, a non-UTF-8 byte, a space, quotes or a leading
    dash: reports do not crash and name the file exactly (text: quoted as
    git quotes names; JSON: path_bytes; SARIF: percent-encoded), diffs and
    review patches apply with git."""
    import base64
    import json
    import shutil
    from urllib.parse import unquote_to_bytes
    if shutil.which("git") is None:
        pytest.skip("git not installed")
    site = (SPAWN / "input.c").read_bytes()
    root = tmp_path / "repo"
    root.mkdir()
    for name in ODD_NAMES:
        with open(os.path.join(os.fsencode(root), name), "wb") as fh:
            fh.write(site)
    git = ["git", "-c", "user.email=d@e.f", "-c", "user.name=d", "-C", str(root)]
    subprocess.run(git + ["init", "-q"], check=True)
    subprocess.run(git + ["add", "-A"], check=True)
    subprocess.run(git + ["commit", "-qm", "odd"], check=True)
    monkeypatch.chdir(root)
    code, out, _ = cli("scan", ".")
    assert code == 1
    from codemod.core import display
    for name in ODD_NAMES:
        assert display.path(os.fsdecode(name)).encode() + b":" in out
    assert b"new\nline.c" not in out
    doc = json.loads(cli("scan", "--format", "json", ".")[1])
    named = {base64.b64decode(f["path_bytes"]) if "path_bytes" in f else f["path"].encode() for f in doc["findings"]}
    assert named == set(ODD_NAMES)
    sarif = json.loads(cli("scan", "--format", "sarif", ".")[1])
    uris = {unquote_to_bytes(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"])
            for r in sarif["runs"][0]["results"]}
    assert uris == set(ODD_NAMES)
    code, patch, _ = cli("diff", ".")
    assert code == 1
    subprocess.run(git + ["apply", "--check", "-"], input=patch, check=True)
    code, _, err = cli("review", "--all", "--out", str(tmp_path / "patches"), ".")
    assert code == 0, err
    patches = sorted((tmp_path / "patches").glob("*.patch"))
    assert len(patches) == len(ODD_NAMES)
    for p in patches:
        subprocess.run(git + ["apply", "--check", str(p)], check=True)
    subprocess.run(git + ["apply", "-"], input=patch, check=True)
    assert cli("scan", ".")[0] == 0          # every site rewritten, in the right files


def test_symlinks_are_not_followed_or_written_through(cli, tmp_path):
    outside = put(tmp_path / "outside" / "secret.c", (SPAWN / "input.c").read_bytes())
    tree = tmp_path / "tree"
    put(tree / "own.c", b"int x;\n")
    os.symlink(outside.parent, tree / "linkdir")
    os.symlink(outside, tree / "link.c")
    code, out, _ = cli("scan", str(tree))
    assert code == 0 and b"secret" not in out and b"link" not in out
    code, out, err = cli("apply", str(tree / "link.c"))
    assert code == 2 and "is a symbolic link; not written through" in err
    assert outside.read_bytes() == (SPAWN / "input.c").read_bytes()
    assert (tree / "link.c").is_symlink()


def test_symlink_loops_and_fifos_do_not_hang(cli, tmp_path):
    tree = tmp_path / "tree"
    tree.mkdir()
    os.symlink(tree, tree / "loop")
    os.symlink(tree / "a.c", tree / "b.c")
    os.symlink(tree / "b.c", tree / "a.c")
    os.mkfifo(tree / "pipe.c")
    put(tree / "real.c", (SPAWN / "input.c").read_bytes())
    result = {}
    t = threading.Thread(target=lambda: result.update(r=cli("scan", str(tree))), daemon=True)
    t.start()
    t.join(30)
    assert not t.is_alive(), "scan hung on a loop or a FIFO"
    assert b"real.c:12:8: spawn" in result["r"][1]
    code, _, err = cli("scan", str(tree / "a.c"))
    assert code == 2 and "not a regular file" in err


# -- writing -----------------------------------------------------------------

def test_failed_write_leaves_no_temporary_file(tmp_path, monkeypatch):
    target = put(tmp_path / "a.c", b"old")
    os.chmod(target, 0o600)

    def boom(*args):
        raise OSError("disk full")
    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(OSError):
        files_mod.write_atomically(str(target), b"new", b"old")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.c"]
    assert target.read_bytes() == b"old"


def test_file_changed_after_reading_is_not_overwritten(cli, tmp_path, monkeypatch):
    target = put(tmp_path / "a.c", (SPAWN / "input.c").read_bytes())
    real = files_mod.write_atomically

    def meddle(path, data, expected):
        Path(path).write_bytes(expected + b"/* edited meanwhile */\n")
        return real(path, data, expected)
    monkeypatch.setattr(files_mod, "write_atomically", meddle)
    code, _, err = cli("apply", str(tmp_path))
    assert code == 2
    assert "changed on disk since it was read; not overwritten" in err
    assert target.read_bytes().endswith(b"/* edited meanwhile */\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.c"]


def test_mode_is_kept(tmp_path):
    target = put(tmp_path / "a.c", b"old")
    os.chmod(target, 0o751)
    files_mod.write_atomically(str(target), b"new", b"old")
    assert stat.S_IMODE(target.stat().st_mode) == 0o751 and target.read_bytes() == b"new"


def _started(pid: int) -> bool:
    """The tool's main() has installed its signal handlers (SIGTERM caught)."""
    try:
        with open(f"/proc/{pid}/status") as fh:
            caught = next(line for line in fh if line.startswith("SigCgt:")).split()[1]
    except (OSError, StopIteration):
        return False
    return bool(int(caught, 16) & (1 << (signal.SIGTERM - 1)))


@pytest.mark.parametrize("delay", [0.3, 1.5, 3.0])
def test_ctrl_c_during_apply_leaves_every_file_whole(tmp_path, delay):
    src = (SPAWN / "input.c").read_bytes()
    expected = (SPAWN / "expected.c").read_bytes()
    tree = tmp_path / "tree"
    for i in range(1500):
        put(tree / f"d{i % 30}" / f"f{i:04d}.c", src)
    proc = subprocess.Popen([sys.executable, "-m", "codemod", "apply", "-j", "2", str(tree)],
                            stderr=subprocess.PIPE, text=True, start_new_session=True)
    # Not before the interpreter is up (a Ctrl-C during its start-up tests
    # Python, not the tool): wait for the tool's start, then the delay.
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None and not _started(proc.pid):
        time.sleep(0.01)
    time.sleep(delay)
    os.killpg(proc.pid, signal.SIGINT)       # as a terminal sends it: the whole process group
    start = time.monotonic()
    _, err = proc.communicate(timeout=60)
    assert time.monotonic() - start < 20, "did not stop promptly"
    contents = [p.read_bytes() for p in tree.rglob("*.c")]
    assert all(c in (src, expected) for c in contents), "a file was left half-written"
    assert not [p for p in tree.rglob("*") if p.name.startswith(".vfork-codemod-")]
    done = sum(c == expected for c in contents)
    if proc.returncode == 130:
        assert "interrupted" in err
        if "rewrote" in err:
            assert f"rewrote {done} of 1500 files completely" in err
        else:
            assert done == 0
    else:                                     # finished before the signal arrived
        assert proc.returncode == 0 and done == 1500


def test_ctrl_c_while_writing_stops_between_files(tmp_path):
    src = (SPAWN / "input.c").read_bytes()
    expected = (SPAWN / "expected.c").read_bytes()
    tree = tmp_path / "tree"
    paths = [put(tree / f"d{i % 30}" / f"f{i:04d}.c", src) for i in range(1500)]
    proc = subprocess.Popen([sys.executable, "-m", "codemod", "apply", "-j", "2", str(tree)],
                            stderr=subprocess.PIPE, text=True, start_new_session=True)
    deadline = time.monotonic() + 120
    while not any(p.read_bytes() == expected for p in paths[:50]):   # the write phase has begun
        assert time.monotonic() < deadline and proc.poll() is None
        time.sleep(0.005)
    os.killpg(proc.pid, signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    contents = [p.read_bytes() for p in paths]
    assert all(c in (src, expected) for c in contents)
    done = sum(c == expected for c in contents)
    if proc.returncode == 0:                  # the writes outran the signal
        assert done == 1500
        pytest.skip("all files were written before the signal arrived")
    assert proc.returncode == 130
    assert f"interrupted: rewrote {done} of 1500 files completely; the others are untouched" in err
    assert 0 < done < 1500


def test_libcst_parse_errors_are_placed_from_the_message():
    """The pinned libcst puts the statement's start in raw_line/raw_column
    and the real position only in its message: the message wins.  When
    libcst places its errors itself, the first assertion tells us."""
    import libcst
    from codemod.engines.py import libcst_position
    with pytest.raises(libcst.ParserSyntaxError) as caught:
        libcst.parse_module("a = 1\nif x\n  y\n")
    assert (caught.value.raw_line, caught.value.raw_column) != (3, 2)
    assert libcst_position(caught.value) == (3, 3)


def test_a_ctrl_c_after_the_run_is_over_changes_nothing(monkeypatch):
    # The full run returned: a late SIGINT (the terminal's, to the whole
    # group) is ignored on the way out; one inside the run that escaped it
    # ends with the shell's status for Ctrl-C.
    from codemod import cli, entry
    from codemod.files import replay
    monkeypatch.setattr(replay, "answer", lambda argv: None)
    previous = signal.getsignal(signal.SIGINT)
    try:
        monkeypatch.setattr(cli, "main", lambda: 1)
        assert entry.main() == 1
        assert signal.getsignal(signal.SIGINT) is signal.SIG_IGN
        signal.signal(signal.SIGINT, previous)

        def interrupted():
            raise KeyboardInterrupt
        monkeypatch.setattr(cli, "main", interrupted)
        assert entry.main() == 130
        assert signal.getsignal(signal.SIGINT) is previous
    finally:
        signal.signal(signal.SIGINT, previous)
