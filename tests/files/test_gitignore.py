"""gitignore patterns mean what they mean to git: random pattern files and
paths are checked against `git check-ignore`, and the lines that used to
crash or hang the walk are handled as git handles them."""
import os
import shutil
import subprocess
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from codemod.files.gitignore import PatternList, read_lines, wildmatch

EXAMPLES = int(os.environ.get("VFORK_GITIGNORE_EXAMPLES", "150"))


def ignored(rules: PatternList, rel: str, is_dir: bool) -> bool:
    """As a walk decides: an ignored folder hides everything below it."""
    parts = rel.split("/")
    for i in range(1, len(parts)):
        if rules.verdict("/".join(parts[:i]), True) is True:
            return True
    return rules.verdict(rel, is_dir) is True


def git_ignored(root, paths: list) -> dict:
    proc = subprocess.run(["git", "check-ignore", "--no-index", "--stdin", "-z", "-v", "-n"], cwd=root,
                          input=b"\0".join(p.encode("utf-8", "surrogateescape") for p in paths) + b"\0",
                          capture_output=True)
    assert proc.returncode in (0, 1), proc.stderr
    fields = proc.stdout.split(b"\0")
    out = {}
    for i in range(0, len(fields) - 1, 4):
        source, _, pattern, path = fields[i:i + 4]
        out[path.decode("utf-8", "surrogateescape")] = bool(source) and not pattern.startswith(b"!")
    return out


PATTERN_CHARS = st.sampled_from(list("ab*?[]!/\\-^.: ") + ["**", "[:alpha:]", "[!a]", "/**/", "\\ "])
NAME = st.text(alphabet=list("ab.-*[]\\! "), min_size=1, max_size=6).filter(lambda n: n not in (".", ".."))


@pytest.fixture(scope="module")
def git_root(tmp_path_factory):
    if shutil.which("git") is None:
        pytest.skip("git not installed")
    root = tmp_path_factory.mktemp("gitignore")
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    return root


# derandomize: the examples are the same on every run (a random search once
# found the divergence below, which is kept as its own, expected-to-fail test).
@settings(max_examples=EXAMPLES, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(lines=st.lists(st.lists(PATTERN_CHARS, min_size=1, max_size=6).map("".join), min_size=1, max_size=5),
       paths=st.lists(st.lists(NAME, min_size=1, max_size=3).map("/".join), min_size=1, max_size=8, unique=True),
       dirs=st.data())
def test_patterns_agree_with_git_check_ignore(git_root, lines, paths, dirs):
    for entry in os.listdir(git_root):
        if entry != ".git":
            target = git_root / entry
            shutil.rmtree(target) if target.is_dir() and not target.is_symlink() else target.unlink()
    data = "\n".join(lines).encode() + b"\n"
    (git_root / ".gitignore").write_bytes(data)
    kinds = {}
    for path in paths:
        parts = path.split("/")
        if any(kinds.get("/".join(parts[:i])) is False for i in range(1, len(parts))):
            continue                 # a file cannot have children
        is_dir = dirs.draw(st.booleans())
        try:
            if is_dir:
                (git_root / path).mkdir(parents=True, exist_ok=True)
            else:
                (git_root / path).parent.mkdir(parents=True, exist_ok=True)
                (git_root / path).write_bytes(b"")
        except (FileExistsError, NotADirectoryError, IsADirectoryError):
            continue
        for i in range(1, len(parts)):
            kinds["/".join(parts[:i])] = True
        kinds[path] = is_dir
    checked = [p for p in kinds if p != ".gitignore"]
    if not checked:
        return
    theirs = git_ignored(git_root, checked)
    rules = PatternList(read_lines(data))
    ours = {p: ignored(rules, p, kinds[p]) for p in checked}
    assert ours == {p: theirs.get(p, False) for p in checked}, data


@pytest.mark.parametrize("line", ["!", "\\", "foo\\", "[z-a].c", "[", "[[:nope:]]", "a/**/", "**", "/",
                                  "!/", "\\#x", "x\\ ", "[^a]", "***/b"])
def test_lines_git_accepts_do_not_crash(line):
    rules = PatternList(read_lines(line.encode() + b"\n"))
    for name in ("foo\\", "z.c", "a.c", "x ", "#x", "b", "a/b", "[", "!"):
        rules.verdict(name, False)
        rules.verdict(name, True)


def test_z_to_a_range_matches_z_alone_as_in_git():
    rules = PatternList(read_lines(b"[z-a].c\n"))
    assert rules.verdict("z.c", False) is True and rules.verdict("a.c", False) is None


def test_many_stars_take_bounded_time():
    line = b"*a" * 20 + b"*b\n"
    rules = PatternList(read_lines(line))
    names = ["a" * 200, "a" * 199 + "c", ("ab" * 100)[:-1] + "c", "a/" * 50 + "a" * 100]
    start = time.perf_counter()
    for name in names:
        rules.verdict(name, False)
    assert time.perf_counter() - start < 2.0
    assert wildmatch("*a" * 20 + "*b", "a" * 40 + "b", False)


def test_the_known_divergence_a_star_star_after_a_literal_prefix(git_root):
    """git 2.39 ignores `-f` for `-**/**/**`; this port of wildmatch (and
    git's own wildmatch.c, read for it) does not.  Kept visible: the test
    fails when either side changes."""
    for entry in os.listdir(git_root):
        if entry != ".git":
            target = git_root / entry
            shutil.rmtree(target) if target.is_dir() else target.unlink()
    (git_root / ".gitignore").write_bytes(b"-**/**/**\n")
    (git_root / "-f").write_bytes(b"")
    theirs = git_ignored(git_root, ["-f"])
    assert theirs.get("-f") is True                      # what git says
    assert not ignored(PatternList(read_lines(b"-**/**/**\n")), "-f", False)


def last_match(rules: PatternList, rel: str, is_dir: bool, basename_only: bool):
    """What the patterns say read one by one, last first (git's way)."""
    basename = rel.rsplit("/", 1)[-1]
    for p in reversed(rules.patterns):
        if (p.basename_only or not basename_only) and p.matches(rel, basename, is_dir):
            return not p.negative
    return None


SHAPED = st.sampled_from(["a", "b.o", "*.o", "*.c", "*~", "*.tar.gz", "a*", "*a", "b/", "*.o/", "a/b", "/a",
                          "**/b", "?.o", "core", ".o", "*."])


@settings(max_examples=400, deadline=None, derandomize=True)
@given(lines=st.lists(st.tuples(st.booleans(), SHAPED).map(lambda t: ("!" if t[0] else "") + t[1]),
                      min_size=1, max_size=8),
       rel=st.lists(st.sampled_from(["a", "b", "b.o", "x.c", "y~", "t.tar.gz", "core", ".o", "a.", "ab"]),
                    min_size=1, max_size=3).map("/".join),
       is_dir=st.booleans(), basename_only=st.booleans())
def test_the_lookup_of_common_patterns_decides_as_the_last_matching_pattern(lines, rel, is_dir, basename_only):
    rules = PatternList(lines)
    assert rules.verdict(rel, is_dir, basename_only) == last_match(rules, rel, is_dir, basename_only)
