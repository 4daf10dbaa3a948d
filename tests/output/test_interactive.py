"""`apply --interactive` driven through a real pseudo-terminal, answering as
a person would."""
import os
import shutil
import subprocess
import sys

import pytest

from golden import GOLDEN

pexpect = pytest.importorskip("pexpect")

MIXED = GOLDEN / "c" / "mixed_sites"       # spawn at 12, fork at 29, review at 48
SIMPLE = GOLDEN / "c" / "spawn_execl_else_if"
PROMPT = r"\(\d+/\d+\) Apply this change \[y,n,a,d,A,q,\?\]\? "


def prompt_at(position: int, total: int) -> str:
    return rf"\({position}/{total}\) Apply this change \[y,n,a,d,A,q,\?\]\? "


@pytest.fixture
def work(tmp_path):
    shutil.copy(MIXED / "input.c", tmp_path / "a.c")
    shutil.copy(SIMPLE / "input.c", tmp_path / "b.c")
    return tmp_path


def session(work, *args, color=False):
    env = dict(os.environ)
    env.pop("NO_COLOR", None)
    if not color:
        env["NO_COLOR"] = "1"
    child = pexpect.spawn(sys.executable, ["-m", "codemod", "apply", "--interactive", *args, "."],
                          cwd=str(work), env=env, encoding="utf-8", timeout=30)
    return child


def finish(child):
    child.expect(pexpect.EOF)
    child.close()
    return child.exitstatus


def test_yes_no_and_help(work):
    child = session(work)
    child.expect("Left for review")
    child.expect("a.c:48:8: needs review")
    child.expect("a.c:12:8: spawn: fixable with posix_spawn: child")
    child.expect(prompt_at(1, 3))
    child.sendline("?")
    child.expect("a - apply this change and all later changes in this file")
    child.expect("A - apply this change and every remaining change, in all files")
    child.expect(prompt_at(1, 3))
    child.sendline("y")
    child.expect("a.c:29:8: fork: fixable with fork")
    child.expect(r"\+\tpid = fork\(\);")
    child.expect(PROMPT)
    child.sendline("n")
    child.expect("b.c:12:8: spawn")
    child.expect(PROMPT)
    child.sendline("y")
    child.expect("Applied 2 of 3 changes in 2 files")
    assert finish(child) == 0
    a = (work / "a.c").read_bytes()
    assert b"posix_spawn(&pid" in a and b"pid = fork();" not in a and a.count(b"vfork()") == 2
    assert (work / "b.c").read_bytes() == (SIMPLE / "expected.c").read_bytes()


def test_capital_a_applies_everything_that_remains(work):
    child = session(work)
    child.expect(PROMPT)
    child.sendline("A")
    child.expect("Applied 3 of 3 changes in 2 files")
    assert finish(child) == 0
    assert (work / "a.c").read_bytes() == (MIXED / "expected.c").read_bytes()
    assert (work / "b.c").read_bytes() == (SIMPLE / "expected.c").read_bytes()


def test_a_applies_the_rest_of_this_file_only(work):
    """As in `git add -p`: `a` takes this change and the later ones of the file."""
    child = session(work)
    child.expect(prompt_at(1, 3))
    child.sendline("a")
    child.expect("b.c:12:8: spawn")
    child.expect(prompt_at(3, 3))
    child.sendline("n")
    child.expect("Applied 2 of 3 changes in 1 file")
    assert finish(child) == 0
    assert (work / "a.c").read_bytes() == (MIXED / "expected.c").read_bytes()
    assert (work / "b.c").read_bytes() == (SIMPLE / "input.c").read_bytes()


def test_enter_means_no(work):
    child = session(work)
    for position in (1, 2, 3):
        child.expect(prompt_at(position, 3))
        child.sendline("")
    child.expect("Applied 0 of 3 changes in 0 files")
    assert finish(child) == 0
    assert (work / "a.c").read_bytes() == (MIXED / "input.c").read_bytes()


def test_colour_never_is_honoured_on_a_terminal(work):
    child = session(work, "--color", "never", color=True)
    child.expect("Left for review")
    before = child.before
    child.expect(PROMPT)
    assert "\x1b[" not in before + child.before
    child.sendline("q")
    finish(child)


def test_skip_file_then_quit_keeps_accepted(work):
    child = session(work)
    child.expect(prompt_at(1, 3))
    child.sendline("d")                 # nothing from a.c
    child.expect("b.c:12:8")
    child.expect(prompt_at(3, 3))       # the skipped change still counts
    child.sendline("q")
    child.expect("Applied 0 of 3 changes in 0 files")
    assert finish(child) == 0
    assert (work / "a.c").read_bytes() == (MIXED / "input.c").read_bytes()
    assert (work / "b.c").read_bytes() == (SIMPLE / "input.c").read_bytes()


def test_quit_writes_what_was_accepted_in_the_file(work):
    child = session(work)
    child.expect(PROMPT)
    child.sendline("y")
    child.expect(PROMPT)
    child.sendline("q")
    child.expect("Applied 1 of 3 changes in 1 file")
    assert finish(child) == 0
    assert b"posix_spawn(&pid" in (work / "a.c").read_bytes()
    assert (work / "b.c").read_bytes() == (SIMPLE / "input.c").read_bytes()


def test_review_sites_are_offered_only_when_asked_and_marked(work):
    child = session(work, "--include-review", color=True)
    for position in (1, 2):
        child.expect(prompt_at(position, 4))
        child.sendline("n")
    child.expect("a.c:48:8: REVIEW: needs review")
    child.expect("REVIEW SITE: the tool could not prove this rewrite safe")
    child.expect("\x1b\\[")            # coloured on a terminal
    child.expect(PROMPT)
    child.sendline("q")
    child.expect("Applied 0 of 4 changes")
    assert finish(child) == 0


def test_refuses_without_a_terminal(work):
    proc = subprocess.run([sys.executable, "-m", "codemod", "apply", "--interactive", "."], cwd=work,
                          stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=30)
    assert proc.returncode == 2
    assert "needs a terminal" in proc.stderr
    assert (work / "a.c").read_bytes() == (MIXED / "input.c").read_bytes()
