"""The project index: helpers, macros, noreturn declarations, wrappers and
redirects learned from the other files of the tree (each test pairs the
verdict with the index and, where it differs, without)."""
import os
import json
import textwrap

import pytest

from codemod.engines.c.project import libc

HEAD = "#include <stdio.h>\n#include <stdlib.h>\n#include <sys/types.h>\n#include <unistd.h>\n"


def child(body: str, before: str = "") -> str:
    """A file whose function `run` vforks and runs ``body`` in the child."""
    return HEAD + before + textwrap.dedent("""
        int run(char **argv)
        {
        	pid_t pid;

        	pid = vfork();
        	if (pid < 0)
        		return -1;
        	if (pid == 0) {
        %s
        	}
        	return pid;
        }
        """) % textwrap.indent(textwrap.dedent(body).strip("\n"), "\t\t")


@pytest.fixture
def scan(tmp_path, cli, monkeypatch):
    """Write ``files`` into a project folder, scan it; returns (findings, JSON document)."""
    def run(files: dict, *args, where="project"):
        root = tmp_path / "project"
        for name, content in files.items():
            path = root / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(content)
        monkeypatch.chdir(tmp_path / where)
        code, out, err = cli("scan", "--format", "json", *args, ".")
        assert code in (0, 1), err
        doc = json.loads(out)
        return doc["findings"], doc
    return run


def site(findings, path="main.c"):
    [f] = [f for f in findings if f["path"] == path and f["verdict"] != "note"]
    return f


def texts(f) -> str:
    return "\n".join([f["message"]] + [r["message"] for r in f["reasons"]])


# -- helpers -----------------------------------------------------------------

def test_a_safe_helper_in_another_file_makes_a_fork_site(scan):
    files = {"main.c": child("move_fd(3, 1);\nexecv(argv[0], argv);\n_exit(127);", "void move_fd(int, int);\n"),
             "fd.c": "#include <unistd.h>\nvoid move_fd(int a, int b)\n{\n\tif (a != b) {\n\t\tdup2(a, b);\n"
                     "\t\tclose(a);\n\t}\n}\n"}
    f = site(scan(files)[0])
    assert f["verdict"] == "fork"
    assert "`move_fd()` is project code (fd.c:2)" in texts(f)
    assert site(scan(files, "--no-project")[0])["verdict"] == "review"


def test_a_helper_writing_a_global_is_named_with_the_line_and_the_declaration(scan):
    files = {"main.c": child("note_start();\nexecv(argv[0], argv);\n_exit(127);", "void note_start(void);\n"),
             "jobs.c": "int children_started;\n\nvoid note_start(void)\n{\n\tchildren_started++;\n}\n"}
    f = site(scan(files)[0])
    assert f["verdict"] == "review"
    assert "`note_start()` (jobs.c:3) writes `children_started` at jobs.c:5, declared at jobs.c:1" in f["message"]


def test_a_helper_through_another_helper_names_both(scan):
    files = {"main.c": child("outer();\nexecv(argv[0], argv);\n_exit(127);", "void outer(void);\n"),
             "a.c": "void inner(void);\nvoid outer(void)\n{\n\tinner();\n}\n",
             "b.c": "static int hits;\nvoid inner(void)\n{\n\thits = 1;\n}\n"}
    f = site(scan(files)[0])
    assert f["verdict"] == "review"
    assert "`outer()` (a.c:2) at a.c:4: `inner()` (b.c:2) writes `hits` at b.c:4, declared at b.c:1" in f["message"]


def test_a_helper_ending_in_exit_is_fork_with_what_changes_or_review_when_strict(scan):
    """Its exit() runs only in a child whose exec failed (see test_failure_paths)."""
    files = {"main.c": child("umask(022);\nexecv(argv[0], argv);\nfail();", "void fail(void);\n"),
             "fail.c": "#include <stdlib.h>\nvoid fail(void)\n{\n\texit(3);\n}\n"}
    f = site(scan(files)[0])
    assert f["verdict"] == "fork"
    assert "`fail()` (fail.c:2) may end a child whose set-up or exec failed through exit()" in texts(f)
    f = site(scan(files, "--strict-exits")[0])
    assert f["verdict"] == "review"
    assert "`fail()` (fail.c:2) ends in exit(): after fork it flushes the stdio buffers" in f["message"]


def test_a_helper_ending_in__exit_in_the_failure_tail_keeps_the_child_with_fork(scan):
    """It tells why exec failed: a spawn rewrite would lose the message."""
    files = {"main.c": child("execv(argv[0], argv);\nfail();", "void fail(void);\n"),
             "fail.c": "#include <stdio.h>\n#include <unistd.h>\nvoid fail(void)\n{\n"
                       "\tfprintf(stderr, \"exec failed\\n\");\n\t_exit(127);\n}\n"}
    f = site(scan(files)[0])
    assert f["verdict"] == "fork"
    assert f["message"].startswith("fixable with fork: `fail();` tells why exec failed; a failed posix_spawn")


def test_a_silent_failure_tail_still_becomes_posix_spawn(scan):
    files = {"main.c": child("execv(argv[0], argv);\n_exit(127);", "")}
    assert site(scan(files)[0])["verdict"] == "spawn"


def test_helpers_calling_each_other_end(scan):
    files = {"main.c": child("ping(3);\nexecv(argv[0], argv);\n_exit(127);", "void ping(int);\n"),
             "pp.c": "#include <unistd.h>\nvoid pong(int);\nvoid ping(int n)\n{\n\tif (n > 9)\n\t\treturn;\n"
                     "\tclose(n);\n\tpong(n + 1);\n}\nvoid pong(int n)\n{\n\tclose(n);\n\tping(n + 1);\n}\n"}
    assert site(scan(files)[0])["verdict"] == "fork"


def test_a_call_through_a_function_pointer_inside_a_helper_stays_unknown(scan):
    files = {"main.c": child("hook_call();\nexecv(argv[0], argv);\n_exit(127);", "void hook_call(void);\n"),
             "h.c": "void (*hook)(void);\nvoid hook_call(void)\n{\n\thook();\n}\n"}
    f = site(scan(files)[0])
    assert f["verdict"] == "review"
    assert "(h.c:2) at h.c:4" in f["message"]


def test_a_helper_written_through_a_pointer_parameter_is_fine_on_a_child_local(scan):
    body = "int fd;\nopen_into(&fd);\nexecv(argv[0], argv);\n_exit(127);"
    files = {"main.c": child(body, "void open_into(int *);\n"),
             "o.c": "#include <fcntl.h>\nvoid open_into(int *out)\n{\n\t*out = open(\"/dev/null\", O_RDONLY);\n}\n"}
    assert site(scan(files)[0])["verdict"] == "fork"
    files["main.c"] = child("open_into(&shared);\nexecv(argv[0], argv);\n_exit(127);",
                            "void open_into(int *);\nint shared;\n")
    f = site(scan(files)[0])
    assert f["verdict"] == "review" and "`shared`" in f["message"]


def test_two_different_definitions_of_one_helper_are_ambiguous(scan):
    files = {"main.c": child("prep();\nexecv(argv[0], argv);\n_exit(127);", "void prep(void);\n"),
             "one/p.c": "#include <unistd.h>\nvoid prep(void)\n{\n\tclose(3);\n}\n",
             "two/p.c": "int n;\nvoid prep(void)\n{\n\tn = 1;\n}\n"}
    f = site(scan(files)[0])
    # The definition a child may not call decides, and is named with the others.
    assert f["verdict"] == "review"
    assert "`prep()` (two/p.c:2) writes `n` at two/p.c:4" in f["message"], f["message"]
    assert "(of its 2 definitions, the one at two/p.c:2; the others: one/p.c:2)" in f["message"]


def test_differing_definitions_a_child_may_all_call_are_joined(scan):
    files = {"main.c": child("prep();\nexecv(argv[0], argv);\n_exit(127);", "void prep(void);\n"),
             "p.c": "#include <stdio.h>\n#include <unistd.h>\n#ifdef QUIET\nvoid prep(void)\n{\n\tclose(3);\n}\n"
                    "#else\nvoid prep(void)\n{\n\tfputs(\"prep\\n\", stderr);\n\tclose(3);\n}\n#endif\n"}
    f = site(scan(files)[0])
    assert f["verdict"] == "fork", texts(f)


def test_a_function_like_macro_is_expanded_in_the_child(scan):
    files = {"main.c": child("CLOSE_BOTH(3, 4);\nexecv(argv[0], argv);\n_exit(127);", '#include "m.h"\n'),
             "m.h": "#define CLOSE_BOTH(a, b) do { close(a); close(b); } while (0)\n"}
    assert site(scan(files)[0])["verdict"] == "fork"
    files["m.h"] = "extern int started;\n#define MARK(v) (started = (v))\n"
    files["main.c"] = child("MARK(1);\nexecv(argv[0], argv);\n_exit(127);", '#include "m.h"\n')
    f = site(scan(files)[0])
    assert f["verdict"] == "review"
    assert "(in the expansion of `MARK()`, m.h:2)" in f["message"]


def test_include_dir_brings_definitions_from_outside_the_walk(scan, tmp_path):
    files = {"main.c": child("prep();\nexecv(argv[0], argv);\n_exit(127);", "void prep(void);\n"),
             "../lib/p.c": "#include <unistd.h>\nvoid prep(void)\n{\n\tclose(3);\n}\n"}
    assert site(scan(files)[0])["verdict"] == "review"
    f = site(scan(files, "--include-dir", str(tmp_path / "lib"))[0])
    assert f["verdict"] == "fork"
    (tmp_path / "project" / ".vfork-codemod.toml").write_text('include-dirs = ["../lib"]\n')
    assert site(scan(files)[0])["verdict"] == "fork"


def test_an_include_dir_that_is_not_a_folder_is_a_usage_error(tmp_path, cli):
    code, _, err = cli("scan", "--include-dir", str(tmp_path / "nope"), str(tmp_path))
    assert code == 2 and "--include-dir" in err and "not a folder" in err


def test_configuration_wins_over_discovery(scan):
    files = {"main.c": child("note_start();\nexecv(argv[0], argv);\n_exit(127);", "void note_start(void);\n"),
             "jobs.c": "int n;\nvoid note_start(void)\n{\n\tn++;\n}\n"}
    assert site(scan(files, "--safe-function", "note_start")[0])["verdict"] == "fork"
    f = site(scan(files, "--exec-wrapper", "note_start")[0])
    assert f["verdict"] == "fork" and "project exec wrapper (configuration)" in texts(f)


def test_the_index_reads_only_files_that_mention_the_names(scan):
    files = {"main.c": child("prep();\nexecv(argv[0], argv);\n_exit(127);", "void prep(void);\n"),
             "p.c": "#include <unistd.h>\nvoid prep(void)\n{\n\tclose(3);\n}\n"}
    files.update({f"other/f{i}.c": f"int f{i}(int x)\n{{\n\treturn x + {i};\n}}\n" for i in range(40)})
    _, doc = scan(files)
    assert doc["project"]["files_read"] <= 3
    assert [h["name"] for h in doc["project"]["helpers"]] == ["prep"]


@pytest.mark.parametrize("text, defines", [
    (b"void\nprep(int x)\n{\n}\n", True),                          # BSD style
    (b"void prep(int x);\n", True),
    (b"[[gnu::noreturn]] void prep(void);\n", True),
    (b"#define prep(x) close(x)\n", True),
    (b"int f(void)\n{\n\tprep(1);\n}\n", False),                     # a call is indented
    (b"int f(void)\n{\n\tif (x)\n\t\tgoto err;\nerr:\tprep(1);\n}\n", False),   # after a label in column 0
    (b"int f(int c)\n{\n\tswitch (c) {\ncase 1: prep(1);\n\t}\n}\n", False),
])
def test_which_files_the_index_parses_for_a_name(tmp_path, text, defines):
    """A file is parsed for a name only where its text may define it."""
    from codemod.engines.c.project.index import _Index
    from codemod.core.options import RunOptions
    (tmp_path / "p.h").write_bytes(text)
    index = _Index(None, RunOptions())
    assert index.may_define(str(tmp_path / "p.h"), {"prep"}) == ({"prep"} if defines else set())


# -- noreturn ------------------------------------------------------------------

SWITCH = HEAD + """{decl}
int run(char **argv)
{{
	pid_t pid;

	switch (pid = vfork()) {{
	case -1:
		{fail};
	case 0:
		execv(argv[0], argv);
		_exit(127);
	}}
	return pid;
}}
"""


@pytest.mark.parametrize("decl", [
    "void die(const char *) __attribute__((noreturn));",
    "_Noreturn void die(const char *);",
    "[[noreturn]] void die(const char *);",
    "#define NORETURN __attribute__((__noreturn__))\nNORETURN void die(const char *);",
    "#define __dead __attribute__((__noreturn__))\n__dead void die(const char *);",
], ids=["attribute", "_Noreturn", "c23", "NORETURN", "__dead"])
def test_a_noreturn_declaration_ends_the_failure_case(scan, decl):
    files = {"main.c": SWITCH.format(decl=decl, fail='die("vfork")')}
    assert site(scan(files)[0])["verdict"] == "spawn"
    files["main.c"] = SWITCH.format(decl=decl.replace("noreturn", "cold").replace("_Noreturn", "")
                                    .replace("__noreturn__", "cold"), fail='die("vfork")')
    f = site(scan(files)[0])
    # die() may return: a failed vfork then runs the child's code in the
    # parent, as a failed fork will; posix_spawn has no such code.
    assert f["verdict"] == "fork" and "the failure case falls into `case 0:`" in texts(f)


def test_a_noreturn_declaration_in_another_header(scan):
    files = {"main.c": SWITCH.format(decl='#include "cdefs.h"', fail='die("vfork")'),
             "cdefs.h": "#define NORETURN __attribute__((noreturn))\nNORETURN void die(const char *);\n"}
    assert site(scan(files)[0])["verdict"] == "spawn"


@pytest.mark.parametrize("fail", ['err(1, "vfork")', 'errx(1, "vfork")'])
def test_the_err_family_never_returns(scan, fail):
    files = {"main.c": SWITCH.format(decl="#include <err.h>", fail=fail)}
    assert site(scan(files, "--no-project")[0])["verdict"] == "spawn"


def test_err_in_the_child_becomes_warn_then__exit(scan):
    files = {"main.c": child('umask(022);\nexecv(argv[0], argv);\nerr(127, "exec %s", argv[0]);',
                             "#include <err.h>\n")}
    f = site(scan(files)[0])
    assert f["verdict"] == "fork"
    assert "`err(...)` becomes `(warn(...), _exit(127))`" in texts(f)


def test_err_whose_status_has_side_effects_is_not_rewritten(scan):
    files = {"main.c": child('int n = 0;\numask(022);\nexecv(argv[0], argv);\nerr(n++, "exec");',
                             "#include <err.h>\n")}
    f = site(scan(files)[0])
    assert f["verdict"] == "fork" and "`err()` (the C library) may end a child whose set-up or exec failed" in texts(f)
    assert "becomes `(warn(" not in texts(f)
    f = site(scan(files, "--strict-exits")[0])
    assert f["verdict"] == "review" and "`err()` (the C library) ends in exit()" in f["message"]


# -- more of libc ----------------------------------------------------------------

@pytest.mark.parametrize("call,verdict", [
    ('warn("exec %s", argv[0]);\n_exit(127);', "fork"),     # it says something: kept, with fork
    ('warnx("exec failed");\n_exit(127);', "fork"),
    ('warnx("exec failed");\nexit(127);', "fork"),
])
def test_warn_is_a_diagnostic(scan, call, verdict):
    files = {"main.c": child("execv(argv[0], argv);\n" + call, "#include <err.h>\n")}
    assert site(scan(files)[0])["verdict"] == verdict


@pytest.mark.parametrize("call", ["sigignore(SIGPIPE);", "sighold(SIGINT);", "sigrelse(SIGINT);",
                                  "sigset(SIGCHLD, SIG_DFL);", "(void)fileno(stderr);", "(void)gettid();",
                                  "ptrace(PTRACE_TRACEME, 0, 0, 0);",
                                  "if (TEMP_FAILURE_RETRY(dup2(3, 0)) < 0)\n\t_exit(126);"])
def test_more_of_libc_is_known(scan, call):
    before = "#define _GNU_SOURCE\n#include <signal.h>\n#include <sys/ptrace.h>\n"
    files = {"main.c": before + child(call + "\nexecv(argv[0], argv);\n_exit(127);")}
    f = site(scan(files)[0])
    assert f["verdict"] == "fork", texts(f)


def test_ptrace_on_another_process_is_review(scan):
    files = {"main.c": child("ptrace(PTRACE_ATTACH, 1, 0, 0);\nexecv(argv[0], argv);\n_exit(127);",
                             "#include <sys/ptrace.h>\n")}
    f = site(scan(files)[0])
    assert f["verdict"] == "review" and "PTRACE_ATTACH" in f["message"]


@pytest.mark.parametrize("request_, verdict", [("PT_TRACE_ME", "fork"), ("0", "fork"), ("PT_ATTACH", "review")])
def test_ptrace_trace_me_has_three_spellings(scan, request_, verdict):
    # The BSDs and macOS call it PT_TRACE_ME; old code passes the number (0 everywhere).
    before = "#include <sys/ptrace.h>\n#ifndef PT_TRACE_ME\n#define PT_TRACE_ME PTRACE_TRACEME\n" \
             "#define PT_ATTACH PTRACE_ATTACH\n#endif\n"
    files = {"main.c": child(f"ptrace({request_}, 0, 0, 0);\nexecv(argv[0], argv);\n_exit(127);", before)}
    f = site(scan(files)[0])
    assert f["verdict"] == verdict, texts(f)
    if verdict == "review":
        assert f"`ptrace({request_}, ...)` acts on another process" in f["message"]


# busybox's bb_verror_msg (its writev variant) builds the message in a
# local iovec, naming its parts through macros it defines in its own body.
VERROR = """#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>
{globals}
void verror_msg(const char *s, va_list p)
{{
	struct iovec iov[3];
#define used   ({used})
#define msgv   (iov[2].iov_base)
#define msgc   ((char*)(iov[2].iov_base))
#define msgptr (&(iov[2].iov_base))
	used = vasprintf((char**)(void*)msgptr, s, p);
	if (used < 0)
		return;
	msgv = realloc(msgv, used + 3);
	msgc[used++] = ':';
	strcpy(msgc + used, "\\n");
	iov[0].iov_base = (char *)"x: ";
	iov[0].iov_len = 3;
	iov[1].iov_len = 0;
	writev(2, iov, 3);
	free(msgc);
}}

void die(const char *s, ...)
{{
	va_list p;
	va_start(p, s);
	verror_msg(s, p);
	va_end(p);
	_exit(1);
}}

void xdup2(int a, int b)
{{
	if (dup2(a, b) != b)
		die("dup2");
}}
"""


def test_a_die_helper_whose_message_lives_in_a_local_struct_named_by_its_own_macros_is_fork(scan):
    files = {"main.c": child("xdup2(3, 0);\nexecv(argv[0], argv);\n_exit(127);", "void xdup2(int, int);\n"),
             "lib.c": VERROR.format(globals="", used="iov[2].iov_len")}
    f = site(scan(files)[0])
    assert f["verdict"] == "fork", texts(f)


def test_a_body_macro_that_names_a_global_is_still_a_store_to_it(scan):
    files = {"main.c": child("xdup2(3, 0);\nexecv(argv[0], argv);\n_exit(127);", "void xdup2(int, int);\n"),
             "lib.c": VERROR.format(globals="size_t last_len;\n", used="last_len")}
    f = site(scan(files)[0])
    assert f["verdict"] == "review"
    assert "writes `last_len` at lib.c:16" in f["message"], texts(f)


def test_a_call_of_a_name_a_helper_defines_in_its_body_is_not_followed(scan):
    helper = ("#include <unistd.h>\nvoid quit(int code)\n{\n#define _exit my_exit\n\t_exit(code);\n}\n"
              "void xdup2(int a, int b)\n{\n\tif (dup2(a, b) != b)\n\t\tquit(1);\n}\n")
    files = {"main.c": child("xdup2(3, 0);\nexecv(argv[0], argv);\n_exit(127);", "void xdup2(int, int);\n"),
             "lib.c": helper}
    f = site(scan(files)[0])
    assert f["verdict"] == "review"
    assert "macro `_exit` (lib.c:4) expands to `my_exit`, which the tool cannot follow" in f["message"], texts(f)


@pytest.mark.parametrize("head, verdict", [
    # strace's error_prints.c: the attribute macro reads as the name without help.
    ("#define ATTRIBUTE_FORMAT(x) __attribute__((__format__ x))\n"
     "void ATTRIBUTE_FORMAT((__printf__, 1, 2))\nreport(const char *fmt, ...)", "fork"),
    ("void report(const char *fmt, ...)", "fork"),
])
def test_a_helper_with_an_attribute_macro_before_its_name_is_found(scan, head, verdict):
    helper = ("#include <stdarg.h>\n#include <stdio.h>\n" + head +
              "\n{\n\tva_list p;\n\tva_start(p, fmt);\n\tvfprintf(stderr, fmt, p);\n\tva_end(p);\n}\n")
    files = {"main.c": child('report("starting %s", argv[0]);\nexecv(argv[0], argv);\n_exit(127);',
                             "void report(const char *, ...);\n"),
             "report.c": helper}
    f = site(scan(files)[0])
    assert f["verdict"] == verdict, texts(f)
    assert "`report()` is project code (report.c:" in texts(f)


def test_only_an_attribute_macro_before_a_name_is_blanked():
    from codemod.engines.c.frontend import attrmacros
    assert attrmacros.blank(b"int f __P((int));\n") is None            # a prototype macro: the parameters
    assert attrmacros.blank(b"\tif ((a)) foo(b);\n") is None
    assert attrmacros.blank(b"x = CALL((a)) f(b);\n") is None
    head = b"static void FMT((__printf__, 2, 0))\nverror_msg(int e)\n{\n}\n"
    assert attrmacros.blank(head) == head.replace(b"FMT((__printf__, 2, 0))", b" " * 23)
    # A lone word after a primitive type: a macro.  After any other word
    # (GNU style, the type on its own line) it is the type, and stays.
    lone = b"void ATTRIBUTE_NORETURN\ndie(void)\n{\n}\n"
    assert attrmacros.blank(lone) == lone.replace(b"ATTRIBUTE_NORETURN", b" " * 18)
    assert attrmacros.blank(b"static foo_t\nbar(void)\n{\n}\n") is None
    assert attrmacros.blank(b"static struct foo\nbaz(void)\n{\n}\n") is None
    assert attrmacros.blank(b"unsigned long\nsize(void)\n{\n}\n") is None


def test_a_die_helper_whose_noreturn_macro_stands_alone_before_its_name_is_read(scan):
    # strace's `void ATTRIBUTE_NORETURN\ndie(void)`: tree-sitter reads a
    # function named `void`, so the index said fail()'s body was not in the
    # tree.  It now reads fail() (here: the store it makes) and keeps the
    # macro among its words.
    helper = ("#include <unistd.h>\n#define ATTRIBUTE_NORETURN __attribute__((__noreturn__))\nint last;\n"
              "void ATTRIBUTE_NORETURN\nfail(void)\n{\n\tlast = 1;\n\t_exit(126);\n}\n")
    files = {"main.c": child("execv(argv[0], argv);\nfail();", "void fail(void);\n"),
             "fail.c": helper}
    f = site(scan(files)[0])
    assert f["verdict"] == "review"
    assert "`fail()` (fail.c:4) writes `last` at fail.c:7, declared at fail.c:3" in f["message"], texts(f)
    from codemod.engines.c.project.knowledge import facts
    (d,) = facts(helper.encode(), "fail.c").definitions["fail"]
    assert "ATTRIBUTE_NORETURN" in d.words


def test_every_added_libc_fact_is_cited():
    added = ["err", "errx", "verr", "verrx", "errc", "verrc", "warn", "warnx", "vwarn", "vwarnx", "warnc",
             "vwarnc", "sigset", "sighold", "sigrelse", "sigignore", "fileno", "gettid", "ptrace",
             "TEMP_FAILURE_RETRY", "writev"]
    for name in added:
        assert libc.lookup(name).cite, name


# -- precision ------------------------------------------------------------------

def test_the_child_may_store_to_the_pid_variable(scan):
    files = {"main.c": child("pid = 1;\nexecv(argv[0], argv);\n_exit(127);")}
    assert site(scan(files)[0])["verdict"] in ("spawn", "fork")


def test_a_child_that_never_reaches_exec_or_exit_is_review(scan):
    files = {"main.c": child("while (1)\n\t;")}
    f = site(scan(files)[0])
    assert f["verdict"] == "review" and "no path of the child reaches exec or _exit" in f["message"]
    files = {"main.c": child("for (;;)\n\tpause();")}
    assert site(scan(files)[0])["verdict"] == "review"


# -- wrappers and redirects ---------------------------------------------------------

WRAPPED = HEAD + """#include "w.h"
int run(char **argv)
{{
	pid_t pid = {call};

	if (pid == 0) {{
		{child}
		_exit(127);
	}}
	return pid;
}}
"""


def test_a_wrapper_of_a_wrapper_is_followed(scan):
    files = {"w.h": "void die(void);\n#define XVFORK() ({ pid_t p_ = vfork(); if (p_ < 0) die(); p_; })\n"
                    "#define SPAWN_CHILD() XVFORK()\n",
             "main.c": WRAPPED.format(call="SPAWN_CHILD()", child="execv(argv[0], argv);"),
             "other.c": WRAPPED.format(call="XVFORK()", child="execv(argv[0], argv);")}
    findings, doc = scan(files)
    verdicts = [(f["path"], f["line"], f["verdict"]) for f in findings]
    assert verdicts == [("main.c", 8, "fork"), ("other.c", 8, "fork"), ("w.h", 2, "fork")]
    [w] = [w for w in doc["project"]["wrappers"] if w["name"] == "XVFORK"]
    assert sorted(w["calls"]) == ["main.c:8", "other.c:8"]
    files["other.c"] = WRAPPED.format(call="XVFORK()", child="setenv(\"A\", \"1\", 1);\n\t\texecv(argv[0], argv);")
    findings, _ = scan(files)
    definition = [f for f in findings if f["path"] == "w.h"][0]
    assert definition["verdict"] == "review"
    assert "call at other.c:8: needs review" in definition["message"]


def test_a_wrapper_doing_more_in_the_child_is_review(scan):
    files = {"w.h": "#include <stdlib.h>\n#define XVFORK() ({ pid_t p_ = vfork(); if (p_ == 0) "
                    "setenv(\"CHILD\", \"1\", 1); p_; })\n",
             "main.c": WRAPPED.format(call="XVFORK()", child="execv(argv[0], argv);")}
    f = site(scan(files)[0])
    assert f["verdict"] == "review"
    assert ("the wrapper `XVFORK` (w.h:2) does more than call vfork: the child runs `setenv(\"CHILD\", \"1\", 1)` "
            "inside it") in f["message"]


def test_a_wrapper_named_in_the_configuration_stays_a_direct_alias(scan):
    files = {"w.h": "#define XVFORK() vfork()\n",
             "main.c": WRAPPED.format(call="XVFORK()", child="execv(argv[0], argv);")}
    f = site(scan(files, "--alias", "XVFORK")[0])
    assert "through the vfork wrapper" not in texts(f)


@pytest.mark.parametrize("line", ["#define fork vfork", "# define fork() vfork()"])
def test_a_redirect_is_removed_when_its_calls_are_fork_safe(scan, line):
    files = {"config.h": line + "\n",
             "main.c": '#include "config.h"\n' + WRAPPED.format(call="fork()", child="execv(argv[0], argv);")}
    findings, _ = scan(files)
    assert [(f["path"], f["verdict"]) for f in findings] == [("config.h", "fork"), ("main.c", "fork")]
    assert "`fork()` is vfork here" in texts(findings[1])


def test_a_redirect_under_a_condition_is_review(scan):
    files = {"config.h": "#ifdef NO_MMU\n#define fork vfork\n#endif\n",
             "main.c": '#include "config.h"\n' + WRAPPED.format(call="fork()", child="execv(argv[0], argv);")}
    findings, _ = scan(files)
    definition = findings[0]
    assert definition["verdict"] == "review"
    assert "the redirect holds only when #ifdef NO_MMU" in definition["message"]


def test_a_redirect_does_not_reach_files_that_do_not_include_it(scan):
    files = {"config.h": "#define fork vfork\n", "a.c": '#include "config.h"\nint a;\n',
             "main.c": WRAPPED.format(call="fork()", child="execv(argv[0], argv);").replace('#include "w.h"\n', "")}
    findings, _ = scan(files)
    assert [f["path"] for f in findings if f["verdict"] != "note"] == []


def test_callers_of_a_wrapper_function_are_review_sites(scan):
    files = {"lib.c": HEAD + "pid_t xvfork(void)\n{\n\treturn vfork();\n}\n",
             "main.c": WRAPPED.format(call="xvfork()", child="execv(argv[0], argv);").replace(
                 '#include "w.h"\n', "pid_t xvfork(void);\n")}
    findings, _ = scan(files)
    caller = site(findings)
    assert caller["verdict"] == "review"
    assert "`xvfork()` (lib.c:5) returns the vfork result" in caller["message"]


def test_explain_lists_what_the_index_learned(tmp_path, cli, monkeypatch):
    (tmp_path / "main.c").write_text(child("prep();\nexecv(argv[0], argv);\n_exit(127);", "void prep(void);\n"))
    (tmp_path / "p.c").write_text("#include <unistd.h>\nvoid prep(void)\n{\n\tclose(3);\n}\n")
    monkeypatch.chdir(tmp_path)
    code, out, _ = cli("scan", "--explain", ".")
    assert b"project: function prep (p.c:2): writes nothing the parent shares\n" in out


def test_a_declaration_without_a_body_is_named_in_the_callers_own_file(scan):
    body = "prep();\nexecv(argv[0], argv);\n_exit(127);"
    files = {"main.c": child(body, "void prep(void);\n"), "other.c": child(body, "\n\nvoid prep(void);\n")}
    findings, _ = scan(files)
    assert "`prep()` is declared at main.c:5" in site(findings, "main.c")["message"]
    assert "`prep()` is declared at other.c:7" in site(findings, "other.c")["message"]


def test_integer_macros_in_case_labels_come_from_a_header_the_index_reads(scan):
    src = SWITCH.format(decl='#include "status.h"', fail='return -1').replace("case -1:", "case NOTOK:")
    src = src.replace("case 0:", "case OK:")
    files = {"main.c": src, "status.h": "#define OK 0\n#define NOTOK (-1)\n"}
    assert site(scan(files)[0])["verdict"] == "spawn"
    files["status.h"] = "#define OK 0\n"
    assert site(scan(files)[0])["verdict"] != "spawn"      # NOTOK unknown: the failure case is not recognised


def test_a_macro_defined_differently_under_if_has_every_definition_expanded(scan):
    header = "#if LEVEL > 3\n#define TRACE(x) note(x)\n#else\n#define TRACE(x)\n#endif\n"
    files = {"main.c": child('TRACE("child");\nexecv(argv[0], argv);\n_exit(127);', '#include "trace.h"\n'),
             "trace.h": header, "note.c": "int notes;\nvoid note(const char *s)\n{\n\t(void)s;\n\tnotes++;\n}\n"}
    f = site(scan(files)[0])
    assert f["verdict"] == "review"
    assert "`note()` (note.c:2) writes `notes` at note.c:5, declared at note.c:1 (in the expansion of `TRACE()`, " \
           "trace.h:2)" in f["message"]
    files["note.c"] = "#include <unistd.h>\nvoid note(const char *s)\n{\n\t(void)s;\n\tclose(9);\n}\n"
    assert site(scan(files)[0])["verdict"] == "fork"


def test_a_helper_chain_deeper_than_the_limit_reads_the_same_in_any_order(tmp_path, cli, monkeypatch):
    """h0 -> h1 -> ... -> h8, the last writing a global.  One child calls
    h5 (three levels below it: within the limit, so the write is found),
    the other h0 (h5 reached five levels down: the limit stops the reading).
    Each site's reasons must not depend on which was summarised first, nor
    on the process (--jobs): summaries are kept with the levels they used."""
    from codemod.engines.c.proof import summaries
    assert summaries.MAX_DEPTH == 6
    chain = "int counter;\n" + "".join(
        f"void h{i}(void)\n{{\n\t{'h%d();' % (i + 1) if i < 8 else 'counter = 1;'}\n}}\n" for i in range(9))
    root = tmp_path / "project"
    root.mkdir()
    (root / "helpers.c").write_text(chain)
    proto = "".join(f"void h{i}(void);\n" for i in range(9))
    for name, called in (("a_near.c", "h5"), ("b_far.c", "h0")):
        (root / name).write_text(child(f"""
            {called}();
            execv(argv[0], argv);
            _exit(127);
            """, before=proto))
    monkeypatch.chdir(root)

    def reasons(*paths, jobs="1"):
        code, out, err = cli("scan", "--format", "json", "-j", jobs, *paths)
        return {f["path"]: texts(f) for f in json.loads(out)["findings"] if f["verdict"] != "note"}
    first = reasons("a_near.c", "b_far.c", "helpers.c")
    assert "`h8()` (helpers.c:34) writes `counter`" in first["a_near.c"]
    assert "calls project code more than 6 levels deep" in first["b_far.c"]
    assert "writes `counter`" not in first["b_far.c"]
    assert reasons("b_far.c", "a_near.c", "helpers.c") == first
    assert reasons(".", jobs="2") == reasons(".") == first


def test_a_summary_whose_cycles_come_back_to_itself_is_kept_and_reads_the_same_in_any_order(
        tmp_path, cli, monkeypatch):
    """walk_a and walk_b call each other; walk_b writes `counter`.  A child
    calling walk_a and one calling walk_b each name the write whichever is
    summarised first.  walk_a's summary met a cycle only back to itself:
    it is complete, so three more children calling it read it from the
    memo instead of summarising it again (heirloom's summaries that met a
    cycle were made again at every call: 268,000 for 1,073 calls)."""
    from codemod.engines.c.proof import summaries
    root = tmp_path / "project"
    root.mkdir()
    (root / "walk.c").write_text("int counter;\nvoid walk_b(int n);\n"
                                 "void walk_a(int n)\n{\n\tif (n > 0)\n\t\twalk_b(n - 1);\n}\n"
                                 "void walk_b(int n)\n{\n\tif (n > 0)\n\t\twalk_a(n - 1);\n\telse\n\t\tcounter = 1;\n}\n")
    proto = "void walk_a(int n);\nvoid walk_b(int n);\n"
    for name, called in (("a.c", "walk_a"), ("b.c", "walk_b"), ("c.c", "walk_a"), ("d.c", "walk_a")):
        (root / name).write_text(child(f"""
            {called}(3);
            execv(argv[0], argv);
            _exit(127);
            """, before=proto))
    monkeypatch.chdir(root)
    made = []
    real = summaries._function
    monkeypatch.setattr(summaries, "_function",
                        lambda d, knowledge, options, stack: made.append((d.name, options.path, stack))
                        or real(d, knowledge, options, stack))

    def reasons(*paths):
        code, out, err = cli("scan", "--format", "json", "-j", "1", *paths)
        return {f["path"]: texts(f) for f in json.loads(out)["findings"] if f["verdict"] != "note"}
    first = reasons("a.c", "b.c", "c.c", "d.c", "walk.c")
    assert all("writes `counter`" in first[name] for name in ("a.c", "b.c", "c.c", "d.c"))
    # Summarised at the top of a chain once (for a.c): c.c and d.c read it.
    assert [path for name, path, stack in made if name == "walk_a" and not stack and path != "walk.c"] == ["a.c"]
    assert reasons("b.c", "a.c", "c.c", "d.c", "walk.c") == first


def test_the_index_search_finds_the_same_files_with_grep_or_reading(tmp_path, monkeypatch):
    """Tree.search: whole words as `grep -w` reads bytes, comments included,
    only walked files and include folders, with grep or without.  (It stays
    with grep: ripgrep has no byte-wise word test, and reading what a plain
    `rg -l` lists made busybox's 17 searches take 1.7 s instead of 0.5 s.)"""
    from codemod.files import grepfilter
    from codemod.files.tree import Tree
    from codemod.files.walk import Ignore, discover_groups
    root, extra = tmp_path / "tree", tmp_path / "extra"
    files = {
        "a.c": "void helper(void);\n", "b.c": "/* helper */\n", "c.c": "int helper_x;\nint xhelper;\n",
        "d.h": "#define WRAP() helper()\n", "e.txt": "helper\n", ".git/f.c": "helper();\n",
        "sub/g.c": "x = helper2(y);\n", "sub/h.c": "caf\xe9helper();\n", "ignored/i.c": "helper();\n",
    }
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(text.encode("latin-1"))
    (root / ".gitignore").write_text("ignored/\n")
    extra.mkdir()
    (extra / "j.c").write_text("void helper2(void) {}\n")
    monkeypatch.chdir(root)

    (root / "sub" / "both.c").write_text("helper(helper2);\nhelper2();\n")
    (root / "sub" / "nul.c").write_bytes(b"helper();\n\0\n")           # grep calls it binary

    def search():
        tree = Tree(["."], (".c", ".h"), (str(extra),), lambda: discover_groups(["."], Ignore(), []))
        found = tree.search_words(["helper", "helper2"])
        assert tree.search(["helper", "helper2"]) == [p for p, _ in found]
        return [(os.path.relpath(p, tmp_path), sorted(words)) for p, words in found]
    import os
    assert grepfilter.grep_command()
    found = search()
    assert found == [("tree/a.c", ["helper"]), ("tree/b.c", ["helper"]), ("tree/d.h", ["helper"]),
                     ("tree/sub/both.c", ["helper", "helper2"]), ("tree/sub/g.c", ["helper2"]),
                     ("tree/sub/h.c", ["helper"]), ("tree/sub/nul.c", ["helper"]), ("extra/j.c", ["helper2"])]
    monkeypatch.setattr(grepfilter, "grep_command", lambda: None)
    assert search() == found


def test_the_index_search_names_the_words_of_a_file_named_alone(tmp_path, monkeypatch):
    """grep prints no file name for a single file unless told (-H)."""
    from codemod.files import grepfilter
    from codemod.files.tree import Tree
    from codemod.files.walk import Ignore, discover_groups
    (tmp_path / "one.c").write_text("x = helper2(helper);\n")
    monkeypatch.chdir(tmp_path)
    tree = Tree(["one.c"], (".c",), (), lambda: discover_groups(["one.c"], Ignore(), []))
    real_read = Tree._read
    monkeypatch.setattr(Tree, "_read", lambda self, names: pytest.fail("grep's answer was not read"))
    found = [(p, sorted(w)) for p, w in tree.search_words(["helper", "helper2", "absent"])]
    assert found == [(str(tmp_path / "one.c"), ["helper", "helper2"])]
    monkeypatch.setattr(Tree, "_read", real_read)
    monkeypatch.setattr(grepfilter, "grep_command", lambda: None)
    assert [(p, sorted(w)) for p, w in tree.search_words(["helper", "helper2", "absent"])] == found


@pytest.mark.parametrize("text, mentions", [
    (b"#define SPAWN() xvfork()\n", True),
    (b"#define SPAWN() \\\n\t(xvfork())\n", True),               # a continuation line
    (b"#define SPAWN() \\\r\n\tvfork()\r\n", True),
    (b"#  define SPAWN(x) run(x) /* not xvfork */\n", True),      # a comment counts: the parse decides
    (b"#define N 1\npid_t p = xvfork();\n", False),
    (b"#define XXVFORK_H 1\n#define xvfork_count 2\n", False),   # longer names
])
def test_a_file_is_parsed_for_macros_around_a_wrapper_only_when_a_define_names_it(text, mentions):
    from codemod.engines.c.project.index import _defines_mentioning
    assert _defines_mentioning(text, frozenset({"xvfork", "vfork"})) is mentions


# -- which files the index analyses again -----------------------------------
DEFINES_XVFORK = HEAD + "pid_t xvfork(void)\n{\n\treturn vfork();\n}\n"


@pytest.mark.parametrize("source, calls", [
    (DEFINES_XVFORK, False),
    ("pid_t xvfork(void);\n" + DEFINES_XVFORK, False),                    # its prototype too
    (HEAD + "pid_t *\nxvfork(void)\n{\n\treturn 0;\n}\n", False),        # BSD style, a pointer
    ("#ifdef HAVE_VFORK\npid_t xvfork(void);\n#endif\n", False),
    ('extern "C" {\npid_t xvfork(void);\n}\n', False),
    (DEFINES_XVFORK + "int f(void)\n{\n\treturn xvfork();\n}\n", True),
    (DEFINES_XVFORK + "int f(void)\n{\n\tpid_t xvfork(void);\n\treturn 0;\n}\n", True),   # declared in a body
    (DEFINES_XVFORK + "/* then xvfork() again */\n", True),
    (DEFINES_XVFORK + "#define SPAWN() xvfork()\n", True),
    ("pid_t xvfork(void) {{ return 0; }\n", True),                      # code tree-sitter cannot parse
    ("pid_t xvfork(void);\n" * 5, True),                                  # past the few a file declares
])
def test_a_file_only_defining_or_declaring_a_wrapper_does_not_call_it(source, calls):
    from codemod.engines.c.project.index import _call_pattern, _declarator_only
    from codemod.core.options import RunOptions
    data = source.encode()
    matches = list(_call_pattern(frozenset({"xvfork"})).finditer(data))
    assert matches
    assert _declarator_only(data, matches, RunOptions()) is (not calls)


def test_only_the_callers_of_a_wrapper_are_analysed_again(scan, monkeypatch):
    from codemod.files import parallel
    again = []
    real = parallel.analyse_files

    def counting(files, *args):
        again.extend(display for _, display in files)
        return real(files, *args)
    monkeypatch.setattr(parallel, "analyse_files", counting)
    files = {"lib.c": DEFINES_XVFORK, "other.c": "pid_t xvfork(void);\n" + DEFINES_XVFORK.replace("xvfork", "yvfork"),
             "main.c": WRAPPED.format(call="xvfork()", child="execv(argv[0], argv);").replace(
                 '#include "w.h"\n', "pid_t xvfork(void);\n")}
    findings, _ = scan(files)
    assert sorted(again) == ["lib.c", "main.c"]        # lib.c last, to judge xvfork by its call
    assert site(findings)["verdict"] == "review"
    assert [f["verdict"] for f in findings if f["path"] == "lib.c"] == ["review"]


GUARDED_HEADER = b"""/* header */
#ifndef MY_H
#define MY_H
#ifdef HAVE_A /* the A port */
#define WRAP(x) vfork()
int helper(void) { return 0; }
#else
#define WRAP(x) fork()
#endif
#ifndef NOT_GUARD
int other(void);
#define NG 2
#endif
#endif
"""


@pytest.mark.parametrize("newline", [b"\n", b"\r\n"])
def test_definitions_name_their_if_lines_without_the_include_guard(newline):
    from codemod.engines.c.project.knowledge import facts
    found = facts(GUARDED_HEADER.replace(b"\n", newline), "h.h").definitions
    conditions = {name: [(d.kind, d.condition) for d in defs] for name, defs in found.items()}
    assert conditions == {
        "MY_H": [("macro", "")],
        "WRAP": [("macro", "#ifdef HAVE_A /* the A port */"), ("macro", "not (#ifdef HAVE_A /* the A port */)")],
        "helper": [("function", "#ifdef HAVE_A /* the A port */")],
        # `#ifndef` followed by another name's `#define` is no guard.
        "other": [("declaration", "#ifndef NOT_GUARD")],
        "NG": [("macro", "#ifndef NOT_GUARD")],
    }


def test_a_file_the_index_cannot_read_is_an_error_naming_it_and_the_run_goes_on(tmp_path, cli, monkeypatch):
    from codemod.engines.c.project import index
    root = tmp_path / "project"
    root.mkdir()
    (root / "main.c").write_text(child("prepare();\nexecv(argv[0], argv);\n_exit(127);", "void prepare(void);\n"))
    (root / "helpers.c").write_text("void prepare(void) { }\n")
    real = index.facts

    def facts(source, path, ranges=None):
        if path.endswith("helpers.c"):
            raise ValueError("a bug in the index")
        return real(source, path, ranges)

    monkeypatch.setattr(index, "facts", facts)
    monkeypatch.chdir(root)
    code, out, err = cli("scan", "--format", "json", ".")
    assert code == 2
    assert "vfork-codemod: helpers.c: project index: internal error: ValueError: a bug in the index; " \
           "what it defines is not known to the run" in err
    (f,) = json.loads(out)["findings"]
    assert (f["path"], f["verdict"]) == ("main.c", "review")


def test_a_text_scan_does_not_summarise_every_helper(scan, cli, monkeypatch):
    from codemod.engines.c.proof import describe
    calls = []
    real = describe.describe
    monkeypatch.setattr(describe, "describe", lambda *a: calls.append(1) or real(*a))
    files = {"main.c": child("prepare();\nexecv(argv[0], argv);\n_exit(127);", "void prepare(void);\n"),
             "helpers.c": "void prepare(void) { }\n"}
    _, doc = scan(files)
    assert calls == [1] and [h["name"] for h in doc["project"]["helpers"]] == ["prepare"]
    code, out, _ = cli("scan", ".")
    assert code == 1 and b"main.c:" in out and calls == [1]
    cli("scan", "--explain", ".")
    assert calls == [1, 1]


def test_helper_and_expansion_trees_are_kept_within_a_budget(monkeypatch):
    from codemod.engines.c.proof import summaries
    parsed = []
    real = summaries.parse
    monkeypatch.setattr(summaries, "parse", lambda src: parsed.append(src) or real(src))
    monkeypatch.setattr(summaries, "_kept", {})
    monkeypatch.setattr(summaries, "_kept_size", 0)
    monkeypatch.setattr(summaries, "_KEPT_CHARS", 200)
    first = summaries.expansion_function("close(3)")
    assert summaries.expansion_function("close(3)") is not None and len(parsed) == 1
    assert first.text == summaries.expansion_function("close(3)").text
    for n in range(20):
        summaries.expansion_function(f"close({n})")
    assert summaries._kept_size <= 200 and sum(map(len, summaries._kept)) == summaries._kept_size
    # The oldest went first: asking for it again parses it again.
    summaries.expansion_function("close(3)")
    assert parsed.count(parsed[0]) == 2


LINE_PIECES = [b"void", b" ", b"\t", b"prep", b"prep2", b"xprep", b"(", b")", b";", b":", b"::", b"[[", b"]]",
               b"#", b"define", b"\n", b"\r\n", b"{", b"}", b"case 1", b"9", b"/*", b"*/", b"  " * 40, b"static "]


@pytest.mark.parametrize("grep", [True, False])
def test_the_one_search_for_definition_lines_decides_as_may_define(tmp_path, monkeypatch, grep):
    """_Candidates (one grep for definition-shaped lines) picks exactly the
    files and names _may_define picks, on random texts, with grep and
    without it."""
    import random
    from codemod.engines.c.project import index
    from codemod.files import grepfilter
    from codemod.files.tree import Tree
    if not grep:
        monkeypatch.setattr(grepfilter, "grep_command", lambda: None)
    rng = random.Random(7)
    texts = [b"".join(rng.choice(LINE_PIECES) for _ in range(rng.randint(1, 40))) for _ in range(300)]
    texts += [b"void\nprep(int x)\n{\n}\n", b"#  define prep(x) close(x)\n", b"err:\tprep(1);\n",
              b"[[gnu::noreturn]] void prep(void);\n", b"prep" + b" " * 63 + b"(x);\n", b"prep" + b" " * 64 + b"(x);\n"]
    for i, text in enumerate(texts):
        (tmp_path / f"f{i:03d}{'.h' if i % 2 else '.c'}").write_bytes(text)
    tree = Tree([str(tmp_path)], (".c", ".h"))
    for i, text in enumerate(texts):
        tree.add_file(str(tmp_path / f"f{i:03d}{'.h' if i % 2 else '.c'}"), f"f{i:03d}")
    found = index._Candidates.search(tree)
    assert found is not None
    for name in ("prep", "prep2", "xprep", "define", "void"):
        for macros in (False, True):
            for i, text in enumerate(texts):
                path = os.path.abspath(str(tmp_path / f"f{i:03d}{'.h' if i % 2 else '.c'}"))
                want = index._may_define(text, name.encode(), macros)
                got = path in found.calls.get(name, ()) or (macros and path in found.macros.get(name, ()))
                assert got == want, (name, macros, text)


# -- `c ? xfork() : vfork()` -------------------------------------------------

def conditional(arm: str) -> str:
    return child("execv(argv[0], argv);\n_exit(127);").replace(
        "pid = vfork();", f"pid = MMU ? {arm} : vfork();")


XFORK = HEAD + "pid_t xfork(void)\n{\n\tpid_t p = fork();\n\tif (p < 0)\n\t\t_exit(1);\n\treturn p;\n}\n"


def test_a_conditional_whose_other_arm_is_a_project_fork_wrapper_is_fork(scan):
    findings, _ = scan({"main.c": "#define MMU 1\n" + conditional("xfork()"), "util.c": XFORK})
    f = site(findings)
    assert f["verdict"] == "fork"
    assert "vfork is one arm of `MMU ? xfork() : vfork()` whose other arm forks" in f["message"]


@pytest.mark.parametrize("wrapper", [
    # a path that returns something fork did not
    "pid_t xfork(void)\n{\n\tpid_t p = fork();\n\tif (p < 0)\n\t\treturn 0;\n\treturn p;\n}\n",
    # the result is changed after fork
    "pid_t xfork(void)\n{\n\tpid_t p = fork();\n\tp++;\n\treturn p;\n}\n",
    # no fork at all
    "pid_t xfork(void)\n{\n\treturn getpid();\n}\n",
])
def test_a_conditional_whose_other_arm_may_return_zero_without_forking_is_review(scan, wrapper):
    findings, _ = scan({"main.c": "#define MMU 1\n" + conditional("xfork()"), "util.c": HEAD + wrapper})
    f = site(findings)
    assert f["verdict"] == "review"
    assert "whose other arm `xfork()` is not a fork the tool knows" in texts(f)


def test_a_conditional_whose_other_arm_is_not_a_call_is_review(scan):
    findings, _ = scan({"main.c": "#define MMU 1\n" + conditional("0")})
    f = site(findings)
    assert f["verdict"] == "review"
    assert "whose other arm `0` is not a fork the tool knows: in its runs a zero result is no child" in texts(f)


def test_the_conditional_rewrite_changes_the_vfork_arm_only(tmp_path, cli, monkeypatch):
    (tmp_path / "main.c").write_text("#define MMU 1\n" + conditional("fork()"))
    monkeypatch.chdir(tmp_path)
    code, out, err = cli("diff", "main.c")
    assert b"-\tpid = MMU ? fork() : vfork();\n+\tpid = MMU ? fork() : fork();\n" in out


def test_a_definition_that_exists_only_where_the_condition_is_false_does_not_count(scan):
    # busybox: `# define xfork() BUG_fork_is_unavailable_on_nommu()` under
    # `#if BB_MMU ... #else`: the arm runs only where BB_MMU is true.
    header = "#define MMU 1\n#if MMU\npid_t xfork(void);\n#else\n#define xfork() BUG_no_fork()\n#endif\n"
    util = XFORK.replace("pid_t xfork", "#if MMU\npid_t xfork") + "#endif\n"
    files = {"util.h": header, "main.c": '#include "util.h"\n' + conditional("xfork()"),
             "util.c": '#include "util.h"\n' + util}
    findings, _ = scan(files)
    assert site(findings)["verdict"] == "fork"
    # Where the flag is a variable, the preprocessor's view of it says nothing about the run.
    files["util.h"] = header.replace("#define MMU 1\n", "extern int MMU;\n")
    files["main.c"] = files["main.c"].replace("#define MMU 1\n", "")
    findings, _ = scan(files)
    assert site(findings)["verdict"] == "review"


# -- wrappers passing vfork's value through a checker (toybox's XVFORK) -------

CHECKED = ("#define XVFORK() checked(vfork())\n",
           "pid_t checked(pid_t pid)\n{\n\tif (pid == -1)\n\t\t_exit(1);\n%s\treturn pid;\n}\n")


def wrapped(checker_body: str) -> dict:
    main = child("execv(argv[0], argv);\n_exit(127);").replace("pid = vfork();", "pid = XVFORK();")
    return {"compat.h": "pid_t checked(pid_t);\n" + CHECKED[0], "main.c": '#include "compat.h"\n' + main,
            "util.c": HEAD + "int stacktop = 1;\n" + CHECKED[1] % checker_body}


def test_a_checker_that_only_tests_the_value_makes_the_wrapper_fork_safe(scan):
    findings, _ = scan(wrapped(""))
    assert site(findings)["verdict"] == "fork"


def test_a_checker_storing_in_the_child_is_named_with_its_line(scan):
    findings, _ = scan(wrapped("\tif (!pid)\n\t\tstacktop = 0;\n"))
    f = site(findings)
    assert f["verdict"] == "review"
    assert ("`checked()` (util.c:6), which the vfork value passes through: the child stores to `stacktop` "
            "inside it (util.c:11)") in texts(f)


def test_a_checker_returning_something_else_is_review(scan):
    findings, _ = scan(wrapped("\tif (!pid)\n\t\treturn 1;\n"))
    f = site(findings)
    assert f["verdict"] == "review"
    assert "the child may return `return 1;` inside it (util.c:11)" in texts(f)


# -- a definition taking another number of arguments is not the callee --------

def test_a_definition_with_another_parameter_count_is_not_the_one_called(scan):
    main = child("tidy(argv[1]);\nexecv(argv[0], argv);\n_exit(127);")
    files = {"main.c": HEAD + "int tidy(const char *);\n" + main,
             "util.c": HEAD + "int tidy(const char *path)\n{\n\treturn access(path, 0);\n}\n",
             # another program of the tree (a kernel's syscall of the same name)
             "kern/sys.c": "int busy;\nint tidy(p, uap, retval)\n\tvoid *p, *uap;\n\tint *retval;\n{\n"
                           "\tbusy = 1;\n\treturn 0;\n}\n"}
    f = site(scan(files)[0])
    assert f["verdict"] == "fork", texts(f)
    # Where the only definition takes another count, nothing is known of the call.
    files["util.c"] = HEAD
    f = site(scan(files, "--no-cache")[0])
    assert f["verdict"] == "review"
    assert "`tidy()` is declared at main.c:5, but its body is not in the analysed tree" in texts(f) \
        or "`tidy()` is not a function the tool knows" in texts(f)


def test_variadic_and_void_parameter_lists_count_as_written():
    from codemod.engines.c.proof import summaries
    from codemod.engines.c.project.knowledge import Definition

    def takes(source, arity):
        return summaries.takes(Definition("f", "function", "a.c", 1, source), arity)
    assert takes("void f(const char *fmt, ...)\n{\n}\n", 3) and not takes("void f(const char *fmt, ...)\n{\n}\n", 0)
    assert takes("void f(void)\n{\n}\n", 0) and not takes("void f(void)\n{\n}\n", 1)
    assert takes("f()\n{\n}\n", 5)                      # no prototype: any count
    assert takes("int (*f(int a))(int, int)\n{\n\treturn 0;\n}\n", 1)   # its own list, not its result's
    assert not takes("int (*f(int a))(int, int)\n{\n\treturn 0;\n}\n", 2)


# -- headers a file cannot see ------------------------------------------------

def test_a_macro_in_a_header_the_file_never_includes_is_not_its_own(scan):
    # A tree of many programs: sc's header defines `error` as a macro; ex's
    # file includes only its own header and calls its own error().
    main = '#include "ex.h"\n' + child('error("no shell");\nexecv(argv[0], argv);\n_exit(127);',
                                        before="void error(const char *);\n")
    files = {"sc/sc.h": "#define error(msg) fputs(msg, stdout)\n",
             "ex/ex.h": HEAD,
             "ex/main.c": main,
             "ex/subr.c": '#include "ex.h"\nvoid error(const char *msg)\n{\n\twrite(2, msg, 1);\n}\n'}
    findings, _ = scan(files)
    f = site(findings, "ex/main.c")
    assert f["verdict"] == "fork", texts(f)
    # An include the tree does not have (a generated header) may bring any macro in.
    files["ex/main.c"] = '#include "config.h"\n' + main
    findings, _ = scan(files, "--no-cache")
    f = site(findings, "ex/main.c")
    assert f["verdict"] == "review"
    assert "sc/sc.h" in texts(f)


def test_k_and_r_helpers_are_in_the_index(scan):
    main = child("tidy(argv[1]);\nexecv(argv[0], argv);\n_exit(127);")
    files = {"main.c": HEAD + main,
             "util.c": HEAD + "tidy(path)\n\tchar *path;\n{\n\treturn access(path, 0);\n}\n"}
    f = site(scan(files)[0])
    assert f["verdict"] == "fork", texts(f)


def test_a_helper_writing_at_an_offset_into_its_own_array_writes_nothing_shared(scan):
    helper = HEAD + ("void note(const char *s)\n{\n\tchar buf[64];\n\tint n = 4;\n"
                     "\tsnprintf(buf + n, sizeof(buf) - n, \"%s\", s);\n\twrite(2, buf, n);\n}\n")
    main = child("note(argv[0]);\nexecv(argv[0], argv);\n_exit(127);", "void note(const char *);\n")
    f = site(scan({"main.c": main, "util.c": helper})[0])
    assert f["verdict"] == "fork", texts(f)
    # An offset into memory the parent shares is still a write the parent sees.
    f = site(scan({"main.c": main, "util.c": helper.replace("\tchar buf[64];\n", "").replace(
        "void note", "char buf[64];\nvoid note")}, "--no-cache")[0])
    assert f["verdict"] == "review"
    assert "writes through argument 1, `buf + n`" in texts(f)


# -- what makes a function a wrapper -------------------------------------------

SPAWNER = HEAD + textwrap.dedent("""
    int returned;

    pid_t spawner(void)
    {
    	pid_t pid = vfork();
    	%s
    	return pid;
    }
    """)
CALLER = HEAD + textwrap.dedent("""
    pid_t spawner(void);

    int main(void)
    {
    	pid_t pid = spawner();

    	if (pid == 0) {
    		execl("/bin/true", "true", (char *)0);
    		_exit(127);
    	}
    	return 0;
    }
    """)


def test_a_store_to_a_name_starting_with_return_does_not_make_a_wrapper(scan):
    """`returned++;` between vfork and the `return` runs in both processes,
    but it is not a `return`: its function keeps the child and is no wrapper."""
    findings, _ = scan({"lib.c": SPAWNER % "returned++;", "main.c": CALLER})
    assert [f["path"] for f in findings] == ["lib.c"]
    assert site(findings, "lib.c")["reasons"][0]["kind"] == "runs-in-both"


def test_a_function_returning_the_child_is_a_wrapper_for_its_callers(scan):
    findings, _ = scan({"lib.c": SPAWNER % "", "main.c": CALLER})
    assert "main.c" in {f["path"] for f in findings}


def test_what_a_configuration_asks_the_index_is_learned(scan):
    """A site tree-sitter puts in an ERROR region (two heads of `f` under
    `#ifdef`) is judged on a reading of its function alone; a project helper
    only that reading calls is looked up in the index like any other (it
    used to stay "not a function the tool knows": busybox's init.c)."""
    main = ("#include <unistd.h>\nvoid die_quietly(void);\n\n#ifdef OLD\nint f(void) {\n#else\nint f(int x) {\n"
            "#endif\n\treturn 0;\n}\n\nint run(char **argv)\n{\n\tpid_t pid;\n\n\tpid = vfork();\n"
            "\tif (pid < 0)\n\t\treturn -1;\n\tif (pid == 0) {\n\t\texecv(argv[0], argv);\n\t\tdie_quietly();\n"
            "\t}\n\treturn pid;\n}\n")
    files = {"main.c": main, "helpers.c": "#include <unistd.h>\nvoid die_quietly(void) { _exit(127); }\n"}
    findings, doc = scan(files)
    (f,) = [f for f in findings if f["path"] == "main.c"]
    assert (f["verdict"], f["reasons"][0]["kind"]) == ("fork", "read-alone"), f
    assert [h["name"] for h in doc["project"]["helpers"]] == ["die_quietly"]


def test_macros_that_stringify_and_paste_are_expanded(scan):
    """`#` and `##` are expanded as the preprocessor does (rr's
    `test_assert(cond)` passes `#cond` on; GNU's `, ##__VA_ARGS__` drops
    its comma when there are no variable arguments); what the expansion
    calls and stores is then judged as usual."""
    header = ("#include <unistd.h>\nvoid check_failed(int ok, const char *what, int line);\n"
              "#define CHECK(cond) check_failed(cond, #cond, __LINE__)\n"
              "#define CALL(name, ...) close_ ## name(0, ##__VA_ARGS__)\n"
              "int close_quiet(int unused, ...);\n")
    helpers = ('#include "m.h"\nvoid check_failed(int ok, const char *what, int line)\n{\n'
               "\tif (!ok) {\n\t\twrite(2, what, 1);\n\t\t(void)line;\n\t}\n}\n"
               "int close_quiet(int unused, ...)\n{\n\treturn close(unused + 3);\n}\n")
    body = 'CHECK(argv[0] != NULL && *argv[0] != \'"\');\nCALL(quiet);\nexecv(argv[0], argv);\n_exit(127);'
    files = {"main.c": child(body, '#include "m.h"\n'), "m.h": header, "h.c": helpers}
    f = site(scan(files)[0])
    assert f["verdict"] == "fork", texts(f)
    # A paste that makes a store the parent reads is found in the expansion.
    files["m.h"] = header + "extern int last_quiet;\n#define NOTE(x) last_ ## x = 1\n"
    files["main.c"] = child("NOTE(quiet);\nexecv(argv[0], argv);\n_exit(127);", '#include "m.h"\n')
    f = site(scan(files, "--no-cache")[0])
    assert f["verdict"] == "review"
    assert "`last_quiet = 1` writes `last_quiet`" in f["message"] and "(in the expansion of `NOTE()`" in f["message"]


def test_an_operator_the_macro_misuses_leaves_it_unreadable():
    from codemod.engines.c.project.knowledge import Definition
    from codemod.engines.c.proof.macros import substitute

    def expand(body, *args):
        return substitute(Definition("M", "macro", "m.h", 1, body, params=("x",)), list(args))
    assert expand("#y + x", "1") is None                         # `#` before a name that is no parameter
    assert expand("x ##", "1") is None                           # `##` at an end
    assert expand('f(#x, "#x", a ## x)', '"q" \\ z') == 'f("\\"q\\" \\ z", "#x", a"q" \\ z)'
    assert expand("g(x)", "a + b") == "g(a + b)"                  # no operator: as before


def test_a_static_helper_in_an_included_header_is_the_includers(scan):
    """`static inline` helpers of a header belong to each file including it
    (rr's util.h); a header the file does not include lends it nothing."""
    main = child("quiet_close(3);\nexecv(argv[0], argv);\n_exit(127);", '#include "util.h"\n')
    files = {"main.c": main,
             "util.h": "#include <unistd.h>\nstatic inline int quiet_close(int fd)\n{\n\treturn close(fd);\n}\n"}
    f = site(scan(files)[0])
    assert f["verdict"] == "fork", texts(f)
    files["main.c"] = main.replace('#include "util.h"\n', '#include "other.h"\n')
    files["other.h"] = "#include <unistd.h>\n"
    f = site(scan(files, "--no-cache")[0])
    assert f["verdict"] == "review" and "quiet_close" in f["message"]


def test_a_macro_body_with_a_comment_expands_as_the_preprocessor_reads_it(scan):
    # toybox's `#define FLAG(x) (!!(toys.optflags&FLAG_##x))  // Return 1 if flag set`
    header = "#include <unistd.h>\nextern int optflags;\n#define FLAG_q 4\n" \
             "#define FLAG(x) (!!(optflags&FLAG_##x))  // 1 if the flag is set\n"
    body = "if (FLAG(q))\n\tclose(2);\nexecv(argv[0], argv);\n_exit(127);"
    f = site(scan({"main.c": child(body, '#include "m.h"\n'), "m.h": header})[0])
    assert f["verdict"] == "fork", texts(f)


def test_a_macro_expansion_has_a_budget(scan):
    from codemod.engines.c.proof.macros import MAX_EXPANSION
    header = "#include <unistd.h>\n#define TEN(x) x x x x x x x x x x\n"
    arg = '"' + "a" * (MAX_EXPANSION // 10 + 10) + '"'
    body = f"close(TEN({arg}));\nexecv(argv[0], argv);\n_exit(127);"
    f = site(scan({"main.c": child(body, '#include "m.h"\n'), "m.h": header})[0])
    assert f["verdict"] == "review"
    assert f"its expansion here is longer than {MAX_EXPANSION:,} characters" in f["message"]


@pytest.mark.parametrize("helper,verdict", [
    # `return code;` ends the helper, not the process: the child runs on after it.
    ("int report(int code)\n{\n\twrite(2, \"failed\\n\", 7);\n\treturn code;\n}\n", "review"),
    ("int report(int code)\n{\n\tfor (;;) {\n\t\tif (write(2, \"x\", 1) == 1)\n\t\t\treturn code;\n\t}\n}\n", "review"),
    # A `goto` may jump past the exit a path seems to end in.
    ("int report(int code)\n{\n\tif (code)\n\t\tgoto out;\n\t_exit(1);\nout:\n\treturn code;\n}\n", "review"),
    # Every path ends the process.
    ("int report(int code)\n{\n\twrite(2, \"failed\\n\", 7);\n\t_exit(code);\n}\n", "fork"),
    ("int report(int code)\n{\n\tif (code)\n\t\t_exit(code);\n\tfor (;;)\n\t\tsleep(1);\n}\n", "fork"),
])
def test_a_helper_ends_the_child_only_when_every_path_ends_the_process(scan, helper, verdict):
    files = {"main.c": child("execv(argv[0], argv);\nreport(127);", "int report(int);\n"),
             "report.c": HEAD + helper}
    f = site(scan(files)[0])
    assert f["verdict"] == verdict, texts(f)
    if verdict == "review":
        assert "fall out of its region" in f["message"] or "`goto out;` leaves" in f["message"]


@pytest.mark.parametrize("helper,verdict,fragment", [
    # busybox's bb_verror_msg jumps forward to `add_pfx_and_sfx:` inside an
    # else-block: a jump inside the helper leaves nothing.
    ("int note(int fd, char *buf, int n)\n{\n\tif (n <= 0)\n\t\tgoto out;\n\tif (n > 80) {\n\t\tn = 80;\n"
     "\t} else {\n out:\n\t\tn = 1;\n\t}\n\treturn write(fd, buf, n);\n}\n", "fork", "nothing the parent shares"),
    # What follows the label is read like the rest.
    ("int seen;\nint note(int fd, char *buf, int n)\n{\n\tif (n <= 0)\n\t\tgoto out;\n\treturn write(fd, buf, n);\n"
     "out:\n\tseen = 1;\n\treturn 0;\n}\n", "review", "writes `seen` at note.c:12"),
    # A label the helper does not have is a jump out of it (a macro's goto).
    ("int note(int fd, char *buf, int n)\n{\n\tif (n <= 0)\n\t\tgoto elsewhere;\n\treturn write(fd, buf, n);\n}\n",
     "review", "`goto elsewhere;` leaves the child region"),
])
def test_a_goto_to_the_helpers_own_label_stays_inside_it(scan, helper, verdict, fragment):
    files = {"main.c": child("note(2, argv[0], 3);\nexecv(argv[0], argv);\n_exit(127);",
                             "int note(int, char *, int);\n"),
             "note.c": HEAD + helper}
    f = site(scan(files)[0])
    assert f["verdict"] == verdict, texts(f)
    if verdict == "review":
        assert fragment in f["message"], texts(f)


# -- the parent's own branches ---------------------------------------------------

PARENT_SWITCH = HEAD + """
int waitall(void);
static int reaped;

int waitall(void)
{
	reaped++;
	return reaped;
}

static void xexit(int code)
{
	waitall();
	%s
}

int run(char **argv)
{
	pid_t pid;

	switch (pid = vfork()) {
	case -1:
		perror("vfork");
		xexit(1);
	case 0:
		execv(argv[0], argv);
		_exit(127);
	}
	return pid;
}
"""


def test_a_failure_case_ending_in_an_unsafe_helper_that_exits_does_not_fall_through(scan):
    # xexit() writes `reaped`, so no child may call it; but only the parent
    # runs `case -1`, and xexit() never returns: nothing falls into `case 0`.
    f = site(scan({"main.c": PARENT_SWITCH % "exit(code);"})[0])
    assert f["verdict"] in ("spawn", "fork"), texts(f)
    assert "falls through" not in texts(f)


def test_a_failure_case_ending_in_a_helper_that_may_return_falls_through(scan):
    f = site(scan({"main.c": PARENT_SWITCH % "if (code > 1)\n\t\texit(code);"})[0])
    assert f["verdict"] == "fork"
    assert "the failure case falls into `case 0:`: when vfork fails the parent runs the child's code itself" \
        in texts(f)


def test_a_prototype_tree_sitter_reads_as_a_call_is_a_declaration(scan):
    # Attribute macros around it (as in macOS's unistd.h) leave an ERROR in
    # which `pid_t vfork(void) ...;` reads as a call: `(void)` is no argument list.
    findings, _ = scan({"u.h": "int a(b) M(1)\npid_t vfork(void) A B;\n"})
    assert [(f["verdict"], f["message"]) for f in findings] == \
        [("note", "declaration of vfork: not a call, not rewritten")]
    findings, _ = scan({"u.h": "int a(b) M(1)\npid_t p = vfork() A B;\n"})
    assert [f["verdict"] for f in findings] == ["review"]


# -- the preprocessor's whole work ----------------------------------------------

SAY = ("#include <unistd.h>\n"
       "#define ARG3(_0, _1, _2, ...) _2\n"
       "#define KIND(...) ARG3(__VA_ARGS__, , _many)\n"
       "#define PICK(name, kind, ...) do##kind##name(__VA_ARGS__)\n"
       "#define MSG(name, kind, ...) PICK(name, kind, __VA_ARGS__)\n"
       "#define say(...) MSG(_say, KIND(__VA_ARGS__), __VA_ARGS__)\n"
       "void do_say(const char *fmt, const char *arg);\nvoid do_many_say(const char *msg);\n")
SAID = ('#include "m.h"\nvoid do_say(const char *fmt, const char *arg)\n{\n\t(void)fmt;\n'
        "\twrite(2, arg, 1);\n}\nvoid do_many_say(const char *msg)\n{\n\t%s\n}\n")


@pytest.mark.parametrize("body, verdict", [("write(2, msg, 1);", "fork"), ("said = msg;", "review")])
def test_a_macro_argument_is_expanded_before_an_inner_macro_pastes_it(scan, body, verdict):
    # busybox's bb_perror_msg(): KIND() counts the arguments, PICK() pastes
    # its result into the function's name, so KIND must be expanded first.
    child_body = 'say("starting");\nexecv(argv[0], argv);\nsay("%s", "exec failed");\n_exit(127);'
    files = {"main.c": child(child_body, '#include "m.h"\n'), "m.h": SAY,
             "say.c": "const char *said;\n" + SAID % body}
    f = site(scan(files)[0])
    assert f["verdict"] == verdict, texts(f)
    assert "cannot be analysed" not in texts(f)
    if verdict == "review":
        assert "`do_many_say()` (say.c:" in f["message"] and "writes `said`" in f["message"]


@pytest.mark.parametrize("store, verdict", [("", "fork"), ("checked = 1; ", "review")])
def test_a_macro_whose_expansion_calls_macros_with_types_is_rescanned(scan, store, verdict):
    # ltp's TST_EXP_EQ_LI(a, b): TST_EXP_EQ_(a, #a, b, #b, long long, "lli"),
    # no call tree-sitter can read until EQ_ is expanded too.
    header = ("#include <unistd.h>\nextern int checked;\n"
              f"#define EQ_(a, sa, T) do {{ T tmp_ = (a); {store}if (!tmp_) write(2, sa, 1); }} while (0)\n"
              "#define EQ(a) EQ_(a, #a, long long)\n")
    files = {"main.c": child("EQ(argv[0] != 0);\nexecv(argv[0], argv);\n_exit(127);", '#include "m.h"\n'),
             "m.h": header}
    f = site(scan(files)[0])
    assert f["verdict"] == verdict, texts(f)
    if verdict == "review":
        assert "`checked = 1` writes `checked`" in f["message"] and "(in the expansion of `EQ()`" in f["message"]


@pytest.mark.parametrize("store, verdict", [("", "fork"), ("reported = fd; ", "review")])
def test_a_macro_named_as_its_function_calls_the_function(scan, store, verdict):
    # `#define report(...) report(2, __VA_ARGS__)`: inside its expansion the
    # name is the function's (C11 6.10.3.4p2), defined after an #undef.
    header = "#include <unistd.h>\nvoid report(int fd, const char *m);\n#define report(...) report(2, __VA_ARGS__)\n"
    helpers = ('#include "m.h"\nint reported;\n#undef report\nvoid report(int fd, const char *m)\n{\n'
               f'\t{store}write(fd, m, 1);\n}}\n')
    files = {"main.c": child('report("x");\nexecv(argv[0], argv);\n_exit(127);', '#include "m.h"\n'),
             "m.h": header, "r.c": helpers}
    f = site(scan(files)[0])
    assert f["verdict"] == verdict, texts(f)
    assert "levels deep" not in texts(f)
    if verdict == "review":
        assert "`report()` (r.c:4)" in f["message"] and "writes `reported`" in f["message"]


def test_a_variadic_macro_takes_any_number_of_arguments(scan):
    # `...` is an anonymous node in tree-sitter's parameter list; dropping it
    # made every call with variable arguments "not fit" its macro.
    header = "#include <unistd.h>\n#define QUIET(fd, ...) close(fd)\n"
    files = {"main.c": child("QUIET(3, \"a\", 1);\nexecv(argv[0], argv);\n_exit(127);", '#include "m.h"\n'),
             "m.h": header}
    f = site(scan(files)[0])
    assert f["verdict"] == "fork", texts(f)
