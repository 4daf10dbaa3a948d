"""A child that fails on its way to exec, through the program's own error
path: a die() helper (it never returns and never execs), a set-up helper
that calls one when its system call fails (busybox's xdup2 ->
bb_perror_msg_and_die), a helper whose exit() flushes stdio.

What such a path does happens only in a run where the child never reaches
exec, so a fork rewrite may keep it (docs/verdicts.md lists what changes in
that run); --strict-exits keeps those children for review.  Each case pairs
what becomes fork with what must stay review."""
import pytest

from test_project import HEAD, child, scan, site, texts  # noqa: F401 - scan is a fixture

DIE_TAIL = child("execv(argv[0], argv);\nfail(argv[0]);", "void fail(const char *);\n")


def die(body: str, before: str = "") -> str:
    return HEAD + before + "void fail(const char *what)\n{\n" + body + "}\n"


def test_a_tail_helper_ending_in_exit_is_fork_with_what_changes(scan):
    files = {"main.c": DIE_TAIL, "fail.c": die('\tfprintf(stderr, "%s: failed\\n", what);\n\texit(3);\n')}
    f = site(scan(files)[0])
    assert f["verdict"] == "fork", texts(f)
    kinds = [r["kind"] for r in f["reasons"]]
    assert "tail-says-something" in kinds and "exits-in-helper" in kinds
    assert "`fail()` (fail.c:5) may end a child whose set-up or exec failed through exit() or stdio: after fork " \
           "it works on the child's copies of the parent's stdio buffers, so in that failing run output the " \
           "parent had buffered may appear twice" in texts(f)


def test_strict_exits_keeps_a_tail_helper_ending_in_exit_for_review(scan):
    files = {"main.c": DIE_TAIL, "fail.c": die('\tfprintf(stderr, "%s: failed\\n", what);\n\texit(3);\n')}
    f = site(scan(files, "--strict-exits")[0])
    assert f["verdict"] == "review"
    assert "`fail()` (fail.c:5) ends in exit(): after fork it flushes the stdio buffers the child copied from " \
           "the parent a second time" in f["message"]
    files[".vfork-codemod.toml"] = "strict-exits = true\n"
    assert site(scan(files)[0])["verdict"] == "review"


@pytest.mark.parametrize("body", [
    # stdout through stdio, the heap, errno: the child's own after fork.
    '\tprintf("%s: failed\\n", what);\n\texit(3);\n',
    '\tchar *msg = malloc(80);\n\tif (msg) {\n\t\tsnprintf(msg, 80, "%s", what);\n\t\tmsg[0] = \'!\';\n'
    '\t\tfputs(msg, stdout);\n\t\tfree(msg);\n\t}\n\terrno = 0;\n\t_exit(3);\n',
    # A helper that itself writes stdio and returns, called on the way out.
    '\treport(what);\n\tabort();\n',
    # Every branch of an #if is read.
    '#ifdef VERBOSE\n\tprintf("%s\\n", what);\n#endif\n\t_exit(3);\n',
])
def test_what_a_die_helper_does_on_its_way_out_is_its_own(scan, body):
    report = "void report(const char *what)\n{\n\tprintf(\"%s\\n\", what);\n\tfflush(stdout);\n}\n"
    files = {"main.c": DIE_TAIL, "fail.c": die(body, "#include <errno.h>\n" + report)}
    f = site(scan(files)[0])
    assert f["verdict"] == "fork", texts(f)
    assert "exits-in-helper" in [r["kind"] for r in f["reasons"]]


def test_a_die_helper_with_a_function_like_macro_of_its_own_is_read_through_it(scan):
    # libiberty's pex_child_error: `#define writeerr(s) retval |= (write (...) < 0)`,
    # called for each part of the message, then #undef'd.
    body = ('\tint r = 0;\n#define say(s) r |= (write(2, s, strlen(s)) < 0)\n\tsay(what);\n\tsay("\\n");\n'
            '#undef say\n\t_exit(r ? 2 : 3);\n')
    files = {"main.c": DIE_TAIL, "fail.c": die(body, "#include <string.h>\n")}
    f = site(scan(files)[0])
    assert f["verdict"] == "fork", texts(f)
    assert "tail-says-something" in [r["kind"] for r in f["reasons"]]


@pytest.mark.parametrize("body, fragment", [
    # A store the parent may read to learn how the child failed (a hand-off).
    ("\tlast_failure = 3;\n\t_exit(3);\n", "writes `last_failure` at fail.c:"),
    # Through a parameter: the caller's memory.
    ("\t*(char *)what = 0;\n\t_exit(3);\n", "writes through"),
    # It may exec: what it writes before then happens in a run that reaches exec.
    ('\tprintf("%s\\n", what);\n\texecl("/bin/false", "false", (char *)0);\n\t_exit(3);\n',
     "`printf()` writes the stdio buffers shared with the parent"),
    # A path may return: it is no die().
    ('\tif (what)\n\t\tprintf("%s\\n", what);\n\telse\n\t\t_exit(3);\n', "`printf()` writes the stdio buffers"),
    # Through a pointer nobody can place.
    ("\t(*hook)();\n\t_exit(3);\n", "function pointer"),
    # A #define in the body: a store through it is a store to what it names.
    ("#define where last_failure\n\twhere = 1;\n\t_exit(3);\n", "writes `last_failure` at fail.c:"),
    # A function-like one is expanded at its calls.
    ("#define put(v) (last_failure = (v))\n\tput(1);\n\t_exit(3);\n", "writes `last_failure` at fail.c:10"),
    # Each definition of the build must be one (an #ifdef'd second one writes a global).
])
def test_a_die_helper_that_may_hand_something_back_or_exec_stays_review(scan, body, fragment):
    before = "int last_failure;\nvoid (*hook)(void);\n"
    files = {"main.c": DIE_TAIL, "fail.c": die(body, before)}
    f = site(scan(files)[0])
    assert f["verdict"] == "review", texts(f)
    assert fragment in texts(f), texts(f)


def test_a_die_helper_defined_twice_must_be_one_in_each_definition(scan):
    good = '\tfprintf(stderr, "%s\\n", what);\n\texit(3);\n'
    bad = "\tlast_failure = 3;\n\texit(3);\n"
    two = HEAD + "int last_failure;\n#ifdef SMALL\nvoid fail(const char *what)\n{\n" + good + "}\n#else\n" \
        "void fail(const char *what)\n{\n" + bad + "}\n#endif\n"
    f = site(scan({"main.c": DIE_TAIL, "fail.c": two})[0])
    assert f["verdict"] == "review" and "writes `last_failure`" in texts(f), texts(f)
    # The run's -U leaves the #else one out; #if 0 always does.
    assert site(scan({"main.c": DIE_TAIL, "fail.c": two}, "-D", "SMALL")[0])["verdict"] == "fork"
    dead = two.replace("#ifdef SMALL", "#if 1").replace("#else", "#else /* never */")
    assert site(scan({"main.c": DIE_TAIL, "fail.c": dead})[0])["verdict"] == "fork"


SETUP = child("move_fd(3, 1);\nexecv(argv[0], argv);\n_exit(127);", "void move_fd(int, int);\n")
XFUNCS = HEAD + """
void (*die_func)(void);
int xfunc_error_retval = 1;

void xfunc_die(void)
{
	if (die_func)
		die_func();
	exit(xfunc_error_retval);
}

void die_msg(const char *s)
{
	fflush(NULL);
	fprintf(stderr, "%s\\n", s);
	xfunc_die();
}

void move_fd(int from, int to)
{
	if (dup2(from, to) != to)
		die_msg("can't duplicate file descriptor");
	close(from);
}
"""


def test_a_setup_helper_that_dies_when_its_call_fails_is_fork(scan):
    files = {"main.c": SETUP, "xfuncs.c": XFUNCS}
    # xfunc_die calls through die_func: what it runs is not in the tree.
    f = site(scan(files)[0])
    assert f["verdict"] == "review" and "`die_func()` calls through a function pointer" in texts(f), texts(f)
    # The user says xfunc_die ends the process without exec'ing.
    f = site(scan(files, "--die-function", "xfunc_die")[0])
    assert f["verdict"] == "fork", texts(f)
    assert "`move_fd()` (xfuncs.c:23) may end a child whose set-up or exec failed" in texts(f)
    files[".vfork-codemod.toml"] = 'die-functions = ["xfunc_die"]\n'
    assert site(scan(files)[0])["verdict"] == "fork"
    assert site(scan(files, "--strict-exits")[0])["verdict"] == "review"


def test_a_helper_writing_stdio_outside_a_die_path_stays_review(scan):
    files = {"main.c": child("report(argv[0]);\nexecv(argv[0], argv);\n_exit(127);", "void report(const char *);\n"),
             "report.c": HEAD + "void report(const char *what)\n{\n\tprintf(\"%s\\n\", what);\n}\n"}
    f = site(scan(files)[0])
    assert f["verdict"] == "review" and "`printf()` writes the stdio buffers shared with the parent" in texts(f)


@pytest.mark.parametrize("value", ["xfunc die", "1x"])
def test_a_die_function_must_be_a_function_name(tmp_path, cli, monkeypatch, value):
    monkeypatch.chdir(tmp_path)
    code, _, err = cli("scan", "--die-function", value, ".")
    assert code == 2
    assert f"--die-function {value!r}: not a function name" in err, err


@pytest.mark.parametrize("line, message", [
    ('die-functions = "xfunc_die"', "`die-functions` must be a list of project functions that end the process"),
    ("strict-exits = 1", "`strict-exits` must be true or false, not a number"),
])
def test_the_configuration_keys_are_checked(tmp_path, cli, capsysbinary, monkeypatch, line, message):
    (tmp_path / ".vfork-codemod.toml").write_text(line + "\n")
    monkeypatch.chdir(tmp_path)
    code, _, err = cli("scan", ".")
    assert code == 2 and message in err, err
