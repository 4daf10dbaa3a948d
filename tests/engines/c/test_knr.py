"""K&R headers with implicit int are made parseable for the parse only:
the same length, every definition a function_definition, nothing else touched."""
import json

import pytest

from codemod.engines.c.frontend import knr
from codemod.engines.c.frontend.syntax import parse, walk

FIXES = {
    "plain": b"main(argc, argv)\n\tint argc;\n\tchar **argv;\n{\n\treturn 0;\n}\n",
    "storage class on its own line": b"static\nrunit(prog, argv)\nchar *prog, **argv;\n{\n\treturn 0;\n}\n",
    "comment in the header": b"static\nrunit(prog, argv)\t/* run it */\nchar *prog, **argv;\n{\n\treturn 0;\n}\n",
    "a name starting with a keyword": b"register_thing(a)\n\tint a;\n{\n\treturn a;\n}\n",
    "a pointer parameter to a function": b"call(f, x)\n\tint (*f)();\n\tint x;\n{\n\treturn f(x);\n}\n",
    "two in a row": b"f(a)\nint a;\n{\n\treturn a;\n}\nstatic\ng(b)\nint b;\n{\n\treturn b;\n}\n",
    "no blanks, a comment before": b"/*\n * Delete the directory at shutdown\n */\nwwend()\n{\n\treturn 0;\n}\n",
    "no blanks, blank lines before": b"int x;\n        \nwwend()\n{\n\treturn 0;\n}\n",
    "inside a file-wide #ifdef": b"#ifdef TERMINFO\nstatic\nrun(p)\nchar *p;\n{\n\treturn 0;\n}\n#endif\n",
    "after a stray statement": b"foo(a);\nbar(b)\nint b;\n{\n\treturn b;\n}\n",
    # Two blanks before the brace: room for `_ ` (a one-letter type), not for `int `.
    "two blanks before the brace": b"int x;\nf()  \n{\n\treturn 0;\n}\n",
}

UNCHANGED = {
    "modern definitions": b"static int f(int a)\n{\n\treturn a;\n}\n",
    "typed K&R (tree-sitter reads it)": b"static int\nf(a)\n\tint a;\n{\n\treturn a;\n}\n",
    "a keyword head": b"if (x)\n{\n\treturn 0;\n}\n",
    "no room for int": b"f()\n{\n\treturn 0;\n}\n",
    "no room but a declaration": b"int x;\nf()\n{\n\treturn 0;\n}\n",
    # The line holding vfork keeps its indentation; one tab before it is too little.
    "one blank before the vfork line": b"int x;\nf()\n{\n\tg();\n\tpid = vfork();\n}\n",
    # A blank after a backslash-continued line belongs to what it continues.
    "continued lines": b"int x;\nf()\n{\n#define A \\\n\t\t\t\t1\n\treturn A;\n}\n",
    # Taking `b` or `a` from `a*b/c` could close the comment early.
    "room only next to * or /": b"/*a*b/c*/\nf()\n{\n\treturn 0;\n}\n",
}


def functions(source: bytes) -> list:
    root = parse(source).root_node
    return [n.type for n in root.children if n.type in ("function_definition", "compound_statement")]


@pytest.mark.parametrize("name", FIXES)
def test_fixes(name):
    source = FIXES[name]
    root = parse(source).root_node
    assert root.has_error or "compound_statement" in functions(source)
    normalised = knr.normalise(source, root)
    assert normalised is not None
    new = normalised.text
    assert len(new) == len(source)
    assert new.count(b"\n") == source.count(b"\n")
    root = parse(new).root_node
    assert not root.has_error
    defs = [n for n in walk(root) if n.type == "function_definition"]
    assert len(defs) == source.count(b"\n{")
    # Comments before a header may lose letters and blanks, never their end;
    # only those inside a header (blanked with its declarations) go.
    before = {c.start_byte for c in walk(parse(source).root_node) if c.type == "comment"}
    after = {c.start_byte for c in walk(root) if c.type == "comment"}
    heads = [(fn.start_byte, fn.child_by_field_name("body").start_byte) for fn in defs]
    assert after <= before
    assert all(any(a <= at < b for a, b in heads) for at in before - after)
    # Only headers change: bodies are the same bytes at the same offsets.
    for fn in defs:
        body = fn.child_by_field_name("body")
        assert new[body.start_byte:body.end_byte] == source[body.start_byte:body.end_byte]


def test_a_stray_statement_is_not_the_header():
    new = knr.normalise(FIXES["after a stray statement"], parse(FIXES["after a stray statement"]).root_node)
    assert new.text.startswith(b"foo(a);\nint bar(b)")


@pytest.mark.parametrize("name", UNCHANGED)
def test_must_not_change(name):
    source = UNCHANGED[name]
    assert knr.normalise(source, parse(source).root_node) is None


def test_a_split_header_has_a_bound():
    # More specifier lines than MAX_NODES nodes: not taken for a header.
    source = b"static\n" * (knr.MAX_NODES * 2) + b"f(a)\nint a;\n{\n\treturn a;\n}\n"
    new = knr.normalise(source, parse(source).root_node)
    assert new is None or len(new.text) == len(source)
    # Comments inside a header stay inside its node: still one header.
    source = b"f(a)\n" + b"/* c */\n" * (knr.MAX_NODES * 2) + b"int a;\n{\n\treturn a;\n}\n"
    new = knr.normalise(source, parse(source).root_node)
    assert new is not None and len(new.text) == len(source)


# -- no room before the header: the body's first lines lend their indentation --

INTO_BODY = {
    # (source, the head tree-sitter reads)
    "four blanks": (b"int x;\nf()\n{\n\tint a;\n\tint b;\n\t\tint c;\n\treturn a;\n}\n", b"int f()"),
    "only two: a one-letter type": (b"int g(void)\n{\n\treturn 0;\n}\npreserve()\n{\n\n\tg();\n\th();\n"
                                    b"\tpid = vfork();\n}\n", b"_ preserve()"),
}


@pytest.mark.parametrize("name", INTO_BODY)
def test_a_header_without_room_borrows_the_bodys_indentation(name):
    source, head = INTO_BODY[name]
    normalised = knr.normalise(source, parse(source).root_node)
    assert normalised is not None
    new = normalised.text
    # Every line keeps its words: the header gains its type, the first
    # lines of the body lose indentation.
    name = head.split()[-1]
    assert len(new) == len(source)
    assert [ln.lstrip() for ln in new.split(b"\n")] == \
        [ln.lstrip() for ln in source.replace(b"\n" + name, b"\n" + head, 1).split(b"\n")]
    root = parse(new).root_node
    fn = [n for n in walk(root) if n.type == "function_definition"][-1]
    assert new[fn.start_byte:fn.child_by_field_name("body").start_byte].strip() == head
    # The moved range runs from the name to the last blank taken; around
    # it every byte is where it was.
    [(lo, hi)] = normalised.moved
    assert lo == source.index(b"\n" + name) + 1 and source[lo:hi] != new[lo:hi]
    assert new[:lo] == source[:lo] and new[hi:] == source[hi:]
    assert b"vfork" not in source[lo:hi]


def test_an_edit_where_the_parse_moved_text_is_refused(tmp_path, cli, monkeypatch):
    # A wrapper call in the first lines of a header with no room to spare:
    # the child's `exit` -> `_exit` would be placed in moved text.
    head = "#include <stdlib.h>\n#include <unistd.h>\n#define START() vfork()\n\nint x;\n"
    moved = "run()\n{\n\tif (START() == 0) { execv(\"/bin/true\", 0); exit(127); }\n\tx = 1;\n\tx = 2;\n\treturn 0;\n}\n"
    roomy = "run(argv)\nchar **argv;\n{\n\tif (START() == 0) {\n\t\texecv(argv[0], argv);\n\t\texit(127);\n" \
            "\t}\n\treturn 0;\n}\n"
    monkeypatch.chdir(tmp_path)
    for body, verdict in ((moved, "review"), (roomy, "fork")):
        (tmp_path / "t.c").write_text(head + body)
        code, out, err = cli("scan", "--format", "json", "--no-cache", "t.c")
        [f] = [f for f in json.loads(out)["findings"] if f["line"] > 3]
        # (the wrapper's own definition, line 3, is rewritten in either case)
        assert f["verdict"] == verdict, f
        if verdict == "review":
            assert f["reasons"][0]["kind"] == "knr-moved"
            assert f["message"] == ("needs review: the old-style definition header at line 6 was read with a "
                                    "type added before its name, which moves lines 6-11 a few bytes in the parse; "
                                    "this rewrite edits there and its edits could not be placed exactly")
