"""Conditionals the tool decides (`#if 0`, `#if 1`, --define/--undefine):
the blanking keeps every offset, and a region split only by a decision of
the configuration stays review."""
import pytest

from codemod.engines.c.frontend.preproc import Config, blank, evaluate

SOURCE = b"""a
#if 0
dead
#else
live
#endif
#ifdef HAVE_X
x
#else
y
#endif
#if 0 && UNKNOWN
d
#elif BAR
b
#endif
"""


def test_blanking_keeps_offsets_and_lines():
    out = blank(SOURCE)
    assert len(out.text) == len(SOURCE) and out.text.count(b"\n") == SOURCE.count(b"\n")
    lines = out.text.split(b"\n")
    assert lines[2].strip() == b"" and lines[4] == b"live"
    assert lines[6] == b"#ifdef HAVE_X" and lines[9] == b"y"          # undecided: as written
    assert lines[13] == b"#if   BAR"                                   # the #elif now opens the group


def test_the_configuration_decides_names():
    out = blank(SOURCE, Config({"HAVE_X": "1"}, frozenset({"BAR"})))
    lines = out.text.split(b"\n")
    assert lines[7] == b"x" and lines[9].strip() == b"" and lines[14].strip() == b""
    assert [d for _, _, d in out.configured] == ["#ifdef HAVE_X", "#elif BAR"]


def test_a_group_the_file_decides_is_not_decided_by_the_configuration():
    # busybox's tar.c: `#  define WAIT_FOR_CHILD 0` then `#  if WAIT_FOR_CHILD` in the child.
    source = b"#define WAIT 0\n#if WAIT\nx\n#endif\n#if HAVE_X\ny\n#endif\n"
    assert blank(source).configured == []
    out = blank(source, Config({"HAVE_X": "1", "WAIT": "1"}))
    assert [d for _, _, d in out.configured] == ["#if HAVE_X"]
    assert out.text.split(b"\n")[2].strip() == b""      # the file's own 0 wins over -D WAIT


@pytest.mark.parametrize("expr,config,value", [
    (b"0", Config(), 0), (b"1", Config(), 1), (b"0 && FOO", Config(), 0), (b"1 || FOO", Config(), 1),
    (b"FOO", Config(), None), (b"defined(FOO)", Config({"FOO": "1"}), 1), (b"!defined FOO", Config({}, frozenset({"FOO"})), 1),
    (b"VERSION >= 3", Config({"VERSION": "4"}), 1), (b"(1) /* c */", Config(), 1), (b"FOO(2)", Config(), None),
    # C integer constants: octal with a leading 0, hexadecimal, suffixes; `08` is no C constant.
    (b"032 == 26", Config(), 1), (b"0x1AUL == 26", Config(), 1), (b"0 == 00", Config(), 1), (b"010L", Config(), 8),
    (b"08", Config(), None), (b"MODE == 0755", Config({"MODE": "493"}), 1),
])
def test_evaluate(expr, config, value):
    assert evaluate(expr, config) == value


def test_unbalanced_conditionals_are_left_alone():
    assert blank(b"#if 0\nx\n") is None
    assert blank(b"#endif\n") is None


SITE = b"""#include <sys/types.h>
#include <unistd.h>

int run(char **argv)
{
	pid_t pid;

#ifdef HAVE_VFORK
	pid = vfork();
#else
	pid = fork();
#endif
	if (pid < 0)
		return -1;
	if (pid == 0) {
		execv(argv[0], argv);
		_exit(127);
	}
	return pid;
}
"""


def test_a_define_outside_the_child_lets_the_site_be_analysed(tmp_path, cli, monkeypatch):
    (tmp_path / "a.c").write_bytes(SITE)
    monkeypatch.chdir(tmp_path)
    _, out, _ = cli("scan", "a.c")
    assert b"a.c:9:8: fork: " in out and b"shared with the other branch" in out
    _, out, _ = cli("scan", "-D", "HAVE_VFORK", "a.c")
    assert b"a.c:9:8: spawn: " in out
    (tmp_path / ".vfork-codemod.toml").write_text('defines = ["HAVE_VFORK"]\n')
    _, out, _ = cli("scan", "a.c")
    assert b"a.c:9:8: spawn: " in out
    _, out, _ = cli("scan", "-U", "HAVE_VFORK", "a.c")          # the flag wins over the file: vfork is dead code
    assert b"a.c:" not in out and b"0 spawn, 0 fork, 0 review" in out


def test_a_define_inside_the_child_still_proves_every_configuration(tmp_path, cli, monkeypatch):
    src = SITE.replace(b"\t\texecv", b"#ifdef HAVE_SETSID\n\t\tsetsid();\n#else\n\t\tBRANCH;\n#endif\n\t\texecv")
    (tmp_path / "a.c").write_bytes(src.replace(b"BRANCH", b"setpgid(0, 0)"))
    monkeypatch.chdir(tmp_path)
    _, out, _ = cli("scan", "-D", "HAVE_VFORK", "-D", "HAVE_SETSID", "a.c")
    assert b"a.c:9:8: fork: fixable with fork: fork-safe in every configuration" in out
    assert b"(`HAVE_SETSID` defined, `HAVE_VFORK` defined; `HAVE_SETSID` undefined, `HAVE_VFORK` defined); " \
           b"in 2 more it is not compiled" in out
    (tmp_path / "a.c").write_bytes(src.replace(b"BRANCH", b'setenv("X", "1", 1)'))
    _, out, _ = cli("scan", "-D", "HAVE_VFORK", "-D", "HAVE_SETSID", "a.c")
    assert b"review: needs review: with `HAVE_SETSID` undefined, `HAVE_VFORK` defined: `setenv()` writes environ" in out


def test_a_bad_define_is_a_usage_error(tmp_path, cli):
    code, _, err = cli("scan", "--define", "1X", str(tmp_path))
    assert code == 2 and "--define '1X'" in err



def test_each_configuration_analyses_only_its_own_site(monkeypatch):
    """Every configuration of a site is a parse of the whole file, but only
    that site is analysed in it (the others have their own configurations);
    the finding is the same as when each configuration read every site."""
    from codemod.engines.c.proof.analysis import Options
    from codemod.engines.c.engine import CFile
    from codemod.engines.c.reading import Reading
    first = SITE.replace(b"\t\texecv", b"#ifdef HAVE_SETSID\n\t\tsetsid();\n#else\n\t\tsetpgid(0, 0);\n#endif\n\t\texecv")
    other = b"\nint other(char **argv)\n{\n\tpid_t pid = vfork();\n\tif (pid == 0) {\n\t\texecv(argv[0], argv);" \
            b"\n\t\t_exit(127);\n\t}\n\treturn pid;\n}\n"
    src = first + other + other.replace(b"other", b"third")
    analysed = []
    real = Reading.judge

    def counting(self, key, tok):
        analysed.append((self.prepared, key))
        return real(self, key, tok)
    monkeypatch.setattr(Reading, "judge", counting)
    options = Options(defines=(("HAVE_VFORK", "1"), ("HAVE_SETSID", "1")))
    cfile = CFile(src, "a.c", options)
    assert [(f.line, f.verdict.value) for f in cfile.findings] == [(9, "fork"), (29, "fork"), (39, "fork")]
    assert cfile.findings[0].message == "fixable with fork: fork-safe in every configuration of the `#if`s " \
        "around it where this vfork is compiled (`HAVE_SETSID` defined, `HAVE_VFORK` defined; `HAVE_SETSID` undefined, `HAVE_VFORK` defined); in 2 more it is not compiled"
    assert [key for sub, key in analysed if sub] == [0, 0]     # the first site in its two configurations, alone
    reading = cfile.reading
    alone = reading.configuration(reading.parsed, reading.tree).only(min(cfile.decisions))
    assert alone.line == 9 and alone.fix.key == cfile.findings[0].fix.key


@pytest.mark.parametrize("elsewhere", [b"", b"int broken = ;\n"])
def test_a_configuration_tree_is_the_fresh_parse_of_its_text(elsewhere):
    """Incremental where the file parsed cleanly or its errors lie outside
    the item; either way the very tree a fresh parse gives, shared by later
    sites."""
    from codemod.engines.c import configurations
    from codemod.engines.c.engine import CFile
    from codemod.engines.c.frontend import variants
    from codemod.engines.c.frontend.syntax import parse
    src = elsewhere + SITE
    cfile = CFile(src, "a.c")
    tok = next(n for n in cfile.decisions.values())[0].call
    item = variants.top_item(cfile.root, tok)
    config = Config({"HAVE_VFORK": "1"}, frozenset())
    text = src[item.start_byte:item.end_byte]
    prepared = src[:item.start_byte] + blank(text, config).text + src[item.end_byte:]
    tree = configurations._parse(cfile.reading, prepared, item)
    assert str(tree.root_node) == str(parse(prepared).root_node)
    assert b"fork()" not in prepared[item.start_byte:item.end_byte].replace(b"vfork()", b"")
    assert configurations._parse(cfile.reading, prepared, item) is tree


@pytest.mark.parametrize("broken, fresh", [
    (b"int broken = ;\n", False),                      # an error elsewhere: reparse the item only
    (b"", True),                                        # an error the item keeps: parse afresh
])
def test_a_configuration_beside_an_error_is_reparsed_only_where_it_changed(monkeypatch, broken, fresh):
    """A file with an error outside the site's item (busybox's hush.c) is
    not parsed whole for each configuration: the incremental tree is the
    file's own outside the item and a clean parse inside it.  An error
    inside the item still gets a fresh parse."""
    from codemod.engines.c import configurations
    from codemod.engines.c.engine import CFile
    from codemod.engines.c.frontend import variants
    from codemod.engines.c.frontend.syntax import errors_within, parse
    src = broken + (SITE if broken else SITE.replace(b"\treturn pid;", b"\treturn pid +;"))
    cfile = CFile(src, "a.c")
    tok = next(n for n in cfile.decisions.values())[0].call
    item = variants.top_item(cfile.root, tok)
    assert cfile.root.has_error and errors_within(cfile.root, item.start_byte, item.end_byte) == fresh
    text = src[item.start_byte:item.end_byte]
    prepared = src[:item.start_byte] + blank(text, Config({"HAVE_VFORK": "1"}, frozenset())).text + src[item.end_byte:]
    parses = []
    monkeypatch.setattr(configurations, "parse", lambda text: parses.append(text) or parse(text))
    tree = configurations._parse(cfile.reading, prepared, item)
    assert parses == ([prepared] if fresh else [])
    assert str(tree.root_node) == str(parse(prepared).root_node)


def test_configuration_trees_are_kept_for_one_item_within_a_budget(monkeypatch):
    from codemod.engines.c import configurations
    from codemod.engines.c.engine import CFile
    from codemod.engines.c.frontend import variants
    src = b"int other(void)\n{\n\treturn 0;\n}\n" + SITE
    cfile = CFile(src, "a.c")
    tok = next(n for n in cfile.decisions.values())[0].call
    item = variants.top_item(cfile.root, tok)
    first = cfile.root.children[0]
    assert first != item
    monkeypatch.setattr(configurations, "_SHARED_BYTES", len(src) - 1)
    assert configurations._parse(cfile.reading, src, item) is not configurations._parse(cfile.reading, src, item)
    monkeypatch.setattr(configurations, "_SHARED_BYTES", len(src))
    tree = configurations._parse(cfile.reading, src, item)
    assert configurations._parse(cfile.reading, src, item) is tree
    configurations._parse(cfile.reading, src, first)                    # another item: the first one's trees go
    assert cfile.reading.configuration_trees[0] == (first.start_byte, first.end_byte)
    assert configurations._parse(cfile.reading, src, item) is not tree


def test_configurations_are_counted_without_being_made():
    from codemod.engines.c.frontend import variants
    atoms = [("defined", "A"), ("value", "A"), ("defined", "B"), ("value", "C")]
    assert variants.count(atoms) == 3 * 2 * 2 == len(list(variants.assignments(atoms)))
    many = [("defined", f"N{i}") for i in range(70)]
    assert variants.count(many) == 2 ** 70          # counted, not enumerated (this would never end)


def test_a_function_with_seventy_ifdefs_is_review_naming_the_cap(tmp_path, cli):
    lines = ["#include <unistd.h>", "int run(char **argv)", "{", "\tpid_t pid;", "\tint x = 0;"]
    for i in range(35):
        lines += [f"#ifdef OPT{i}", f"\tx += {i};", "#endif"]
    lines += ["\tpid = vfork();", "\tif (pid == 0) {"]
    for i in range(35, 70):
        lines += [f"#if defined(OPT{i})", f"\t\tclose({i});", "#endif"]
    lines += ["\t\texecv(argv[0], argv);", "\t\t_exit(127);", "\t}", "\treturn x + pid;", "}"]
    (tmp_path / "sh.c").write_text("\n".join(lines) + "\n")
    code, out, _ = cli("scan", "--no-project", "--format", "json", str(tmp_path / "sh.c"))
    import json
    (finding,) = json.loads(out)["findings"]
    last = finding["reasons"][-1]
    assert code == 1 and finding["verdict"] == "review" and last["kind"] == "configurations-too-many"
    assert "allow 1,180,591,620,717,411,303,424 configurations, more than the 16" in last["message"]
