"""Hostile trees and bad input: no injection, no crash, no silent loss.
Each test here failed before the behaviour it names was built."""
import json
import os
import shutil
import subprocess
import signal
import sys
from pathlib import Path

import pytest

from golden import GOLDEN

SPAWN = GOLDEN / "c" / "spawn_execl_else_if"
REVIEW = GOLDEN / "c" / "review_store_before_exec"
GIT = ["git", "-c", "user.email=d@e.f", "-c", "user.name=d"]
CONTROL = set(range(0x20)) - {0x0a} | {0x7f}


def put(path, data: bytes):
    path = Path(os.fsdecode(path)) if isinstance(path, bytes) else path
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def repo(root: Path) -> None:
    subprocess.run(GIT + ["-C", str(root), "init", "-q"], check=True)
    subprocess.run(GIT + ["-C", str(root), "add", "-A"], check=True)
    subprocess.run(GIT + ["-C", str(root), "commit", "-qm", "tree"], check=True)


def raw_controls(data: bytes) -> set:
    return {b for b in data if b in CONTROL}


# -- 1. a file name that spells a patch ---------------------------------------

FORGED = ("x\n\ndiff --git a/evil.sh b/evil.sh\nnew file mode 100755\n--- /dev/null\n+++ b/evil.sh\n"
          "@@ -0,0 +1 @@\n+echo pwned\n")


def test_a_file_name_cannot_forge_a_hunk_in_a_review_patch(cli, tmp_path, monkeypatch):
    if shutil.which("git") is None:
        pytest.skip("git not installed")
    root = tmp_path / "repo"
    put(root / FORGED / "t.c", (REVIEW / "input.c").read_bytes())
    repo(root)
    monkeypatch.chdir(root)
    code, _, err = cli("review", "--all", "--out", str(tmp_path / "out"), ".")
    assert code == 0, err
    (patch,) = (tmp_path / "out").glob("*.patch")
    text = patch.read_bytes()
    head = text.split(b"\ndiff --git ", 1)[0]
    assert b"\n+echo pwned" not in head and b"\ndiff --git a/evil.sh" not in head
    subprocess.run(GIT + ["am", "-q", str(patch)], cwd=root, check=True)
    assert not (root / "evil.sh").exists()
    changed = subprocess.run(["git", "show", "--name-only", "--format=", "-z", "HEAD"], cwd=root,
                             capture_output=True, check=True).stdout.split(b"\0")
    assert [c for c in changed if c] == [(FORGED + "/t.c").encode()]
    index = (tmp_path / "out" / "index.md").read_bytes()
    assert raw_controls(index) == set() and index.count(b"\n") == 7     # 2 lines say how to apply


# -- 2. escape sequences from names and source text ------------------------------

ESC_DIR = "d\x1b[31mred\x07\rmark"
HOSTILE_CHILD = b"""#include <errno.h>
#include <unistd.h>
char *msg;
int run(char **argv)
{
	pid_t pid = vfork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		msg = "\x1b]0;pwned\x07\x1b[2J\r";
		execv(argv[0], argv);
		_exit(127);
	}
	return pid;
}
"""


def test_control_characters_are_shown_escaped_in_every_human_output(cli, tmp_path, monkeypatch):
    root = tmp_path / "tree"
    put(root / ESC_DIR / "h.c", HOSTILE_CHILD)
    put(root / ESC_DIR / "s.c", (SPAWN / "input.c").read_bytes())
    monkeypatch.chdir(root)
    code, out, err = cli("scan", ".")
    assert code == 1
    assert raw_controls(out) == set() and raw_controls(err.encode()) == set()
    assert b'"d\\033[31mred\\a\\rmark/h.c":6:14: review: needs review: `msg = "\\033]0;pwned\\a\\033[2J "`' in out
    _, _, err = cli("diff", ".")
    assert "review" in err and raw_controls(err.encode()) == set()
    code, _, err = cli("review", "--all", "--out", str(tmp_path / "out"), ".")
    assert code == 0
    for produced in (tmp_path / "out").iterdir():
        data = produced.read_bytes()
        if produced.suffix == ".patch":
            data = data.split(b"\ndiff --git ", 1)[0]      # the diff itself is the file's bytes
        assert raw_controls(data) == set(), produced.name
    # JSON keeps the exact values.
    doc = json.loads(cli("scan", "--format", "json", ".")[1])
    review = next(f for f in doc["findings"] if f["verdict"] == "review")
    assert review["path"] == f"{ESC_DIR}/h.c" and "\x1b]0;pwned\x07" in review["message"]
    _, _, err = cli("apply", ".")
    assert raw_controls(err.encode()) == set() and "review" in err


def test_the_interactive_prompt_shows_control_characters_escaped(tmp_path):
    pexpect = pytest.importorskip("pexpect")
    put(tmp_path / ESC_DIR / "s.c", (SPAWN / "input.c").read_bytes().replace(
        b'"echo"', b'"ec\x1b[8mho"'))
    env = dict(os.environ, NO_COLOR="1")
    child = pexpect.spawn(sys.executable, ["-m", "codemod", "apply", "--interactive", "."], cwd=str(tmp_path),
                          env=env, timeout=30)
    child.expect(rb"\[y,n,a,d,A,q,\?\]")
    shown = child.before
    child.sendline("n")
    child.expect(pexpect.EOF)
    assert b"\\033[31mred\\a\\rmark" in shown and b"ec\\033[8mho" in shown
    assert raw_controls(shown.replace(b"\r\n", b"\n")) - {0x09} == set()     # the diff keeps its tabs


# -- 3 and 10. the review output folder ------------------------------------------

def test_review_never_writes_through_a_planted_symlink(cli, tmp_path, monkeypatch):
    put(tmp_path / "src" / "r.c", (REVIEW / "input.c").read_bytes())
    monkeypatch.chdir(tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    victim = put(tmp_path / "victim.txt", b"precious\n")
    for name in ("index.md", "index.json", "0001-src-r.c-L15.patch"):
        os.symlink(victim, out / name)
    code, _, err = cli("review", "src", "--out", "out")
    assert code == 0, err
    assert (out / "0001-src-r.c-L15.patch").read_bytes().startswith(b"From ")
    assert victim.read_bytes() == b"precious\n"
    assert not (out / "index.md").is_symlink() and (out / "index.md").read_text().startswith("# vfork-codemod")
    assert not any(p.is_symlink() for p in out.iterdir())


def test_review_removes_the_patches_of_its_earlier_run(cli, tmp_path):
    put(tmp_path / "src" / "r.c", (REVIEW / "input.c").read_bytes())
    put(tmp_path / "src" / "s.c", (SPAWN / "input.c").read_bytes())
    out = tmp_path / "out"
    cli("review", "--all", str(tmp_path / "src"), "--out", str(out))
    assert len(list(out.glob("*.patch"))) == 2
    keep = put(out / "notes.txt", b"mine\n")
    cli("review", str(tmp_path / "src"), "--out", str(out))
    assert [p.name for p in out.glob("*.patch")] == ["0001-" + next(out.glob("0001-*")).name[5:]]
    assert keep.read_bytes() == b"mine\n"


@pytest.mark.parametrize("kind", ["file", "under_a_file"])
def test_a_review_folder_that_cannot_be_used_is_a_clear_error(cli, tmp_path, kind):
    put(tmp_path / "src" / "r.c", (REVIEW / "input.c").read_bytes())
    out = tmp_path / "out"
    if kind == "file":
        put(out, b"not a folder\n")
    else:
        put(tmp_path / "plain", b"a file\n")
        out = tmp_path / "plain" / "out"          # cannot be created, even by root
    code, _, err = cli("review", str(tmp_path / "src"), "--out", str(out))
    assert code == 2
    assert err.startswith(f"vfork-codemod: {out}: ")
    assert ("must name a folder" if kind == "file" else "cannot write there") in err
    assert "Traceback" not in err


def test_patch_names_stay_short_for_long_paths(cli, tmp_path):
    deep = tmp_path / "src" / ("d" * 200) / ("e" * 200) / ("long_file_name_" * 12 + ".c")
    put(deep, (REVIEW / "input.c").read_bytes())
    code, _, err = cli("review", str(tmp_path / "src"), "--out", str(tmp_path / "out"))
    assert code == 0, err
    (patch,) = (tmp_path / "out").glob("*.patch")
    assert len(patch.name.encode()) <= 100 and patch.name.endswith("-L15.patch")


# -- 4 and 9. .gitignore lines ------------------------------------------------------

def test_gitignore_lines_git_accepts_neither_crash_nor_hang_the_walk(cli, tmp_path):
    import time
    put(tmp_path / ".git" / "HEAD", b"ref: refs/heads/main\n")
    put(tmp_path / ".gitignore", b"!\n\\\nfoo\\\n[z-a].c\n" + b"*a" * 20 + b"*b\n")
    put(tmp_path / ("a" * 120 + ".c"), (SPAWN / "input.c").read_bytes())
    put(tmp_path / "z.c", (SPAWN / "input.c").read_bytes())        # ignored by [z-a].c, as git does
    start = time.perf_counter()
    code, out, err = cli("scan", "-j", "1", str(tmp_path))
    assert time.perf_counter() - start < 10
    assert code == 1 and "Traceback" not in err
    assert out.count(b": spawn: ") == 1 and b"z.c" not in out


# -- 5, 6. nesting that crashes a parser or hides a site ------------------------

@pytest.mark.parametrize("body", [
    "x = " + "(" * 2000 + "1" + ")" * 2000,              # libcst segfaults
    "x = " + " or ".join(["a"] * 100_000),                # so does a long flat chain
    "x = " + "(" * 10_000 + "1" + ")" * 10_000,          # and this wants gigabytes
])
def test_python_that_crashes_the_parser_is_an_error_for_that_file_only(cli, tmp_path, body):
    put(tmp_path / "deep.py", f"import ctypes\nlibc = ctypes.CDLL(None)\n{body}\nlibc.vfork()\n".encode())
    put(tmp_path / "ok.c", (SPAWN / "input.c").read_bytes())
    code, out, err = cli("apply", "-j", "1", str(tmp_path))
    assert code == 2
    assert "deep.py: cannot parse safely: the Python parser (libcst) crashed on it" in err \
        or "deep.py: cannot parse safely: parsing it needs more than the 400 MB allowed" in err
    assert b"posix_spawn" in (tmp_path / "ok.c").read_bytes()      # the other file was still rewritten


def test_a_vfork_nested_deeper_than_queries_reach_is_an_error_not_a_pass(cli, tmp_path):
    depth = 66_000
    src = "#include <unistd.h>\nint f(void)\n{\n" + "{" * depth + "pid_t p = vfork(); if (p == 0) _exit(0);" + \
        "}" * depth + "\nreturn 0;\n}\n"
    put(tmp_path / "deep.c", src.encode())
    code, out, err = cli("scan", str(tmp_path / "deep.c"))
    assert code == 2
    assert "deep.c: nesting too deep to analyse: the `vfork` at line 4 is nested more than 65,535 levels" in err


def test_leading_blank_lines_do_not_hide_a_site(cli, tmp_path):
    put(tmp_path / "blank.c", b"\n" * 40 + (SPAWN / "input.c").read_bytes())
    code, out, _ = cli("scan", str(tmp_path / "blank.c"))
    assert code == 1 and b":52:8: spawn:" in out


# -- 7, 8. names and configuration values -----------------------------------------

@pytest.mark.parametrize("flag, value", [("--alias", ""), ("--alias", "x y"), ("--alias", "1x"),
                                         ("--exec-wrapper", ""), ("--safe-function", "a..b")])
def test_empty_or_invalid_names_are_rejected_at_once(cli, tmp_path, flag, value):
    put(tmp_path / "a.c", (SPAWN / "input.c").read_bytes())
    code, out, err = cli("scan", flag, value, str(tmp_path))
    assert code == 2 and out == b""
    assert err.startswith(f"vfork-codemod: {flag} {value!r}: not a")


@pytest.mark.parametrize("name, content, message", [
    (".vfork-codemod.toml", b'aliases = [""]\n', "`aliases` entry '': not a C identifier"),
    ("pyproject.toml", b"tool = 5\n", "`tool` must be a table, not a number"),
    ("pyproject.toml", b"[tool]\nvfork-codemod = [1]\n", "`tool.vfork-codemod` must be a table, not an array"),
    ("pyproject.toml", b'[tool.vfork-codemod]\nexclude = "x"\n', "`exclude` must be a list of gitignore-style"),
    ("pyproject.toml", b'[tool.vfork-codemod]\nspawnp = 1\n', "`spawnp` must be true or false, not a number"),
    ("pyproject.toml", b'[tool.vfork-codemod]\nmax-parse-memory = 2\n', "`max-parse-memory` must be a whole"),
    (".vfork-codemod.toml", b'target = "glibc" # \xff\n', "not UTF-8 (byte 19); TOML files are UTF-8"),
])
def test_bad_configuration_is_exit_2_naming_file_and_key(cli, tmp_path, name, content, message):
    cfg = put(tmp_path / name, content)
    put(tmp_path / "a.c", (SPAWN / "input.c").read_bytes())
    code, out, err = cli("scan", str(tmp_path))
    assert code == 2 and out == b"" and "Traceback" not in err
    assert err.startswith(f"vfork-codemod: {cfg}: ") and message in err


# -- 11. memory --------------------------------------------------------------------

def _peak_rss_mb(args, cwd) -> tuple:
    script = ("import resource, sys\nfrom codemod.cli import main\ncode = main(sys.argv[1:])\n"
              "print(max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, "
              "resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) // 1024, code, file=sys.stderr)\n")
    proc = subprocess.run([sys.executable, "-c", script, *args], cwd=cwd, capture_output=True, text=True,
                          timeout=300)
    peak, code = proc.stderr.strip().splitlines()[-1].split()
    return int(peak), int(code), proc.stdout, proc.stderr


def test_a_huge_initialiser_is_skipped_within_the_memory_bound(tmp_path):
    put(tmp_path / "big.c", b"#include <unistd.h>\nint f(void)\n{\n\tstatic int big[] = {" + b"1," * 10_000_000 +
        b"};\n\tpid_t p = vfork();\n\tif (p == 0)\n\t\t_exit(0);\n\treturn big[0] + p;\n}\n")
    peak, code, out, err = _peak_rss_mb(["scan", "-j", "1", "big.c"], tmp_path)
    assert peak < 500, peak
    assert code == 0
    assert "big.c: note: too large to analyse: the parts that mention vfork alone have about 20,000,0" in err
    assert "more than the 400 MB allowed (--max-parse-memory); skipped" in err


def test_a_big_file_is_parsed_in_parts_within_the_memory_bound(tmp_path):
    filler = b"".join(b"static int x%d = %d;\n" % (i, i) for i in range(1_000_000))      # about 24 MB
    put(tmp_path / "big.c", filler + (SPAWN / "input.c").read_bytes().replace(b"int main", b"int main2"))
    peak, code, out, err = _peak_rss_mb(["diff", "-j", "1", "big.c"], tmp_path)
    assert peak < 500, peak
    assert code == 1 and "+#include <spawn.h>" in out and "posix_spawn(&pid" in out


def test_the_memory_budget_can_be_raised(tmp_path, cli):
    put(tmp_path / "big.c", b"#include <unistd.h>\nint f(void)\n{\n\tstatic int big[] = {" + b"1," * 400_000 +
        b"};\n\tpid_t p = vfork();\n\tif (p == 0)\n\t\t_exit(0);\n\treturn big[0] + p;\n}\n")
    code, _, err = cli("scan", "--max-parse-memory", "100", str(tmp_path / "big.c"))
    assert code == 0 and "more than the 100 MB allowed" in err
    code, out, _ = cli("scan", "--max-parse-memory", "1000", str(tmp_path / "big.c"))
    assert code == 1 and b": fork: " in out


# -- 12. UTF-16 ----------------------------------------------------------------------

@pytest.mark.parametrize("jobs", ["1", "2"])
@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_files_that_mention_vfork_are_reported_as_skipped(cli, tmp_path, jobs, encoding):
    put(tmp_path / "w.c", (SPAWN / "input.c").read_text().encode(encoding))
    put(tmp_path / "quiet.c", "int x;\n".encode(encoding))
    code, out, err = cli("scan", "-j", jobs, str(tmp_path))
    assert code == 0
    assert f"{tmp_path / 'w.c'}: note: UTF-16 text that mentions vfork: skipped" in err
    assert "quiet.c" not in err
    doc = json.loads(cli("scan", "--format", "json", "-j", jobs, str(tmp_path))[1])
    assert [s["path"] for s in doc["skipped"]] == [str(tmp_path / "w.c")]


# -- 16. Python parse errors say where -------------------------------------------

@pytest.mark.parametrize("source, where", [
    ("import ctypes\nlibc = ctypes.CDLL(None)\n\ndef f():\n    if 1:\n        x = 1\n\ty = 2\n    return libc.vfork()\n",
     "TabError at line 7, column 1: inconsistent use of tabs and spaces in indentation"),
    ("import ctypes\nlibc = ctypes.CDLL(None)\n\nx = 1\u00a0+ 2\nlibc.vfork()\n",
     "syntax error at line 4, column 6: invalid non-printable character U+00A0"),
    ("import ctypes\n)\nctypes.CDLL(None).vfork()\n", "syntax error at line 2, column 1: unmatched ')'"),
])
def test_python_parse_errors_give_the_real_position(cli, tmp_path, source, where):
    put(tmp_path / "bad.py", source.encode())
    code, _, err = cli("scan", str(tmp_path / "bad.py"))
    assert code == 2
    assert f"bad.py: cannot parse as Python 3: {where}" in err
    assert "column 0" not in err


# -- 13. apply keeps what it does not mean to change ---------------------------------

def test_apply_keeps_owner_group_and_mode(cli, tmp_path):
    if os.geteuid() != 0:
        pytest.skip("changing a file's owner needs root")
    import pwd
    nobody = pwd.getpwnam("nobody")
    target = put(tmp_path / "a.c", (SPAWN / "input.c").read_bytes())
    os.chown(target, nobody.pw_uid, nobody.pw_gid)
    os.chmod(target, 0o640)
    code, _, err = cli("apply", str(target))
    assert code == 0, err
    st = os.stat(target)
    assert (st.st_uid, st.st_gid, st.st_mode & 0o7777) == (nobody.pw_uid, nobody.pw_gid, 0o640)
    assert b"posix_spawn" in target.read_bytes()


def test_apply_keeps_extended_attributes(cli, tmp_path):
    target = put(tmp_path / "a.c", (SPAWN / "input.c").read_bytes())
    try:
        os.setxattr(target, "user.reviewed-by", b"maintainer")
    except OSError:
        pytest.skip("this file system has no user extended attributes")
    code, _, err = cli("apply", str(target))
    assert code == 0, err
    assert os.getxattr(target, "user.reviewed-by") == b"maintainer"
    assert b"posix_spawn" in target.read_bytes()


def test_apply_refuses_a_hard_linked_file(cli, tmp_path):
    src = (SPAWN / "input.c").read_bytes()
    target = put(tmp_path / "a.c", src)
    os.link(target, tmp_path / "other-name.c.orig")
    code, _, err = cli("apply", str(target))
    assert code == 2
    assert f"{target}: has 2 hard links: replacing it would leave the other names with the old text" in err
    assert target.read_bytes() == src and (tmp_path / "other-name.c.orig").read_bytes() == src
    assert os.stat(target).st_nlink == 2


# -- 14. signals and what a killed run leaves ---------------------------------------

@pytest.mark.parametrize("signame, status", [("SIGTERM", 143), ("SIGHUP", 129)])
def test_term_and_hup_during_apply_stop_like_ctrl_c(tmp_path, signame, status):
    import signal
    src = (SPAWN / "input.c").read_bytes()
    expected = (SPAWN / "expected.c").read_bytes()
    tree = tmp_path / "tree"
    for i in range(1500):
        put(tree / f"d{i % 30}" / f"f{i:04d}.c", src)
    proc = subprocess.Popen([sys.executable, "-m", "codemod", "apply", "-j", "2", str(tree)],
                            stderr=subprocess.PIPE, text=True, start_new_session=True)
    wait_for_first_write(tree, expected, proc)
    os.killpg(proc.pid, getattr(signal, signame))
    _, err = proc.communicate(timeout=60)
    contents = [p.read_bytes() for p in tree.rglob("*.c")]
    assert all(c in (src, expected) for c in contents), "a file was left half-written"
    assert not [p for p in tree.rglob("*") if p.name.startswith(".vfork-codemod-")], err
    if proc.returncode == 0:
        assert all(c == expected for c in contents)      # finished before the signal
        return
    assert proc.returncode == status, err
    assert f"stopped by {signame}" in err


def wait_for_first_write(tree, expected: bytes, proc, timeout: float = 60) -> None:
    """Until the run has rewritten a file (or ended): a signal sent while
    the interpreter still starts up would test Python, not the tool."""
    import time
    deadline = time.monotonic() + timeout
    files = sorted(tree.rglob("*.c"))
    while time.monotonic() < deadline and proc.poll() is None:
        if any(f.read_bytes() == expected for f in files[:60]):
            return
        time.sleep(0.01)


def test_a_temporary_file_left_by_a_killed_run_is_reported_then_removed(cli, tmp_path):
    put(tmp_path / "a.c", (SPAWN / "input.c").read_bytes())
    dead = 4_194_304 + 12_345          # above the largest pid Linux hands out
    stale = put(tmp_path / f".vfork-codemod-{dead}-x1y2z3.tmp", b"half")
    mine = put(tmp_path / ".vfork-codemod-notes.txt", b"not ours")
    code, _, err = cli("scan", str(tmp_path))
    assert f"{stale}: note: a temporary file left by an interrupted run (pid {dead})" in err
    assert stale.exists()
    code, _, err = cli("apply", str(tmp_path))
    assert code == 0
    assert f"{stale}: note: removed a temporary file left by an interrupted run (pid {dead})" in err
    assert not stale.exists() and mine.exists()


# -- 15, 17. interactive colour and Ctrl-C ----------------------------------------------

def _interactive(tmp_path, *args, env_extra=None):
    pexpect = pytest.importorskip("pexpect")
    env = dict(os.environ, TERM="xterm-256color")
    env.pop("NO_COLOR", None)
    env.update(env_extra or {})
    # A test run started in the background of a shell ignores SIGINT, and
    # the child would inherit that: it gets Ctrl-C as a terminal's job does.
    return pexpect.spawn(sys.executable, ["-m", "codemod", "apply", "--interactive", *args, "."],
                         cwd=str(tmp_path), env=env, timeout=30,
                         preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))


def test_interactive_honours_color_never(tmp_path):
    pexpect = pytest.importorskip("pexpect")
    put(tmp_path / "a.c", (SPAWN / "input.c").read_bytes())
    child = _interactive(tmp_path, "--color", "never")
    child.expect(rb"\[y,n,a,d,A,q,\?\]")
    shown = child.before
    child.sendline("n")
    child.expect(pexpect.EOF)
    assert b"\x1b[" not in shown + child.before
    coloured = _interactive(tmp_path, "--color", "always")
    coloured.expect(rb"\[y,n,a,d,A,q,\?\]")
    assert b"\x1b[" in coloured.before
    coloured.sendline("q")
    coloured.expect(pexpect.EOF)


def test_ctrl_c_in_interactive_mode_says_what_was_written(tmp_path):
    pexpect = pytest.importorskip("pexpect")
    src = (SPAWN / "input.c").read_bytes()
    put(tmp_path / "a.c", src)
    put(tmp_path / "b.c", src)
    child = _interactive(tmp_path, env_extra={"NO_COLOR": "1"})
    child.expect(rb"\[y,n,a,d,A,q,\?\]")
    child.sendline("y")                        # a.c is written when its last change is decided
    child.expect(rb"\[y,n,a,d,A,q,\?\]")
    child.sendintr()
    child.expect(pexpect.EOF)
    child.close()
    assert b"Interrupted: applied 1 of 2 changes in 1 file; nothing else was written" in child.before
    assert child.exitstatus == 130 or child.signalstatus is None
    assert b"posix_spawn" in (tmp_path / "a.c").read_bytes() and (tmp_path / "b.c").read_bytes() == src
