"""K&R headers with implicit int are made parseable for the parse only:
the same length, every definition a function_definition, nothing else touched."""
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
}

UNCHANGED = {
    "modern definitions": b"static int f(int a)\n{\n\treturn a;\n}\n",
    "typed K&R (tree-sitter reads it)": b"static int\nf(a)\n\tint a;\n{\n\treturn a;\n}\n",
    "a keyword head": b"if (x)\n{\n\treturn 0;\n}\n",
    "no room for int": b"f()\n{\n\treturn 0;\n}\n",
    "no room but a declaration": b"int x;\nf()\n{\n\treturn 0;\n}\n",
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
    new = knr.normalise(source, root)
    assert new is not None
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
    assert new.startswith(b"foo(a);\nint bar(b)")


@pytest.mark.parametrize("name", UNCHANGED)
def test_must_not_change(name):
    source = UNCHANGED[name]
    assert knr.normalise(source, parse(source).root_node) is None


def test_a_split_header_has_a_bound():
    # More specifier lines than MAX_NODES nodes: not taken for a header.
    source = b"static\n" * (knr.MAX_NODES * 2) + b"f(a)\nint a;\n{\n\treturn a;\n}\n"
    new = knr.normalise(source, parse(source).root_node)
    assert new is None or len(new) == len(source)
    # Comments inside a header stay inside its node: still one header.
    source = b"f(a)\n" + b"/* c */\n" * (knr.MAX_NODES * 2) + b"int a;\n{\n\treturn a;\n}\n"
    new = knr.normalise(source, parse(source).root_node)
    assert new is not None and len(new) == len(source)
