"""The second filter (codemod.engines.c.frontend.prefilter) never drops a file in
which tree-sitter finds a vfork reference: compared with a full parse over
generated C-like text (comments, strings, char literals, line splices,
#defines, longer identifiers) and real-looking files."""
from hypothesis import given, settings, strategies as st

import re

from codemod.engines.c.frontend.prefilter import mentions, occurrences
from codemod.engines.c.frontend.syntax import captures, parse

FRAGMENTS = [
    "vfork()", "pid = vfork();", "follow_vfork(x);", "TARGET_WAITKIND_VFORKED", "vfork_done", "__vfork",
    "/* vfork */", "/* multi\nline vfork\n*/", "// vfork here\n", "// splice \\\nvfork();\n", '"vfork"',
    '"a \\" vfork"', "'v'", "'\\''", "#define xvfork() vfork()\n", "#define V \\\n vfork\n",
    "#include <vfork.h>\n", "#if 0\nvfork();\n#endif\n", "int x;", "{", "}", "(", ")", "\n", " ", "\\\n",
    "/*", "*/", '"', "'", "//", "$vfork", "vfork$", "x.vfork", "->vfork", "&vfork", "return vfork;",
]


def _in_error(node) -> bool:
    while node is not None:
        if node.type == "ERROR":
            return True
        node = node.parent
    return False


def parsed_mentions(source: bytes) -> bool:
    """A reference the parse finds outside its ERROR regions.  Inside one,
    tree-sitter's recovery may split a literal into tokens the C lexer never
    makes (`'v'"vfork"'v'` gives an identifier `vfork`); there the filter
    follows the lexer, which the reference-expression test below checks."""
    found = captures("vfork-references", parse(source).root_node)
    inside = _literal_spans(source)
    return any(not _in_error(n) and not any(a <= n.start_byte < b for a, b in inside)
               for n in found.get("vfork.ref", []) + found.get("vfork.macro", []))


_LITERALS = re.compile(rb"//[^\n]*|/\*.*?\*/|\"(?:\\.|[^\"\\\n])*\"|'(?:\\[^\n]|[^'\\\n])'", re.S)


def _literal_spans(source: bytes) -> list:
    """The comments and literals of ``source`` as the C lexer reads it.  The
    parse's recovery may also make an identifier of a string's contents next
    to an ERROR (`'v'"vfork"'v'` after a `$`: `concatenated_string
    (identifier)`); the lexer never does."""
    return [m.span() for m in _LITERALS.finditer(source)]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(FRAGMENTS), max_size=14))
def test_no_reference_the_parse_finds_is_filtered_out(parts):
    """Outside ERROR regions, every reference the parse finds survives the filter."""
    source = "".join(parts).encode()
    if parsed_mentions(source):
        assert mentions(source, (b"vfork",)), source


def _reference(source: bytes, needles: tuple) -> bool:
    """The filter's specification, one regular expression tried at every
    offset (about ten times slower): a needle token in code, or an opener
    that cannot be paired."""
    words = b"|".join(re.escape(n) for n in sorted(needles, key=len, reverse=True))
    pattern = re.compile(rb"//[^\n]*|/\*.*?\*/|\"(?:\\.|[^\"\\\n])*\"|'(?:\\[^\n]|[^'\\\n])'"
                         rb"|(?<![A-Za-z0-9_])(" + words + rb")(?![A-Za-z0-9_])|(['\"]|/\*)", re.S)
    return any(m.group(1) is not None or m.group(2) is not None for m in pattern.finditer(source))


@settings(max_examples=600, deadline=None)
@given(st.lists(st.sampled_from(FRAGMENTS + ["XVFORK()", "/* XVFORK */", "a / b", "x/y"]), max_size=16))
def test_the_lexer_agrees_with_the_reference_expression(parts):
    """Where a needle occurs as a word the jumping lexer decides as the
    expression does; where none does, no file is parsed."""
    source = "".join(parts).encode()
    for needles in ((b"vfork",), (b"vfork", b"XVFORK")):
        if occurrences(source, needles):
            assert mentions(source, needles) == _reference(source, needles), (source, needles)
        else:
            assert not mentions(source, needles)


def test_a_string_the_parse_recovers_as_an_identifier_beside_an_error_is_filtered_out():
    # Found by the property above: the recovered identifier is no child of the ERROR.
    source = b'$vforkvfork()\'v\'"vfork"\'v\'"a \\" vfork"'
    found = captures("vfork-references", parse(source).root_node)["vfork.ref"]
    assert found and not any(_in_error(n) for n in found)
    assert not parsed_mentions(source)
    assert not mentions(source, (b"vfork",)) and not _reference(source, (b"vfork",))


def test_a_literal_the_parse_recovers_as_an_identifier_is_filtered_out():
    source = b"'v'\"vfork\"'v'"
    found = captures("vfork-references", parse(source).root_node)["vfork.ref"]
    assert found and all(_in_error(n) for n in found)
    assert not mentions(source, (b"vfork",)) and not _reference(source, (b"vfork",))


def test_comments_strings_and_longer_names_are_filtered_out():
    text = b'/* vfork() */\n// vfork\nstatic const char *m = "vfork failed";\nint follow_vfork(void);\n' \
           b"int vfork_done;\n"
    assert "vfork" in text.decode() and not mentions(text, (b"vfork",))
    assert mentions(text + b"pid_t p = vfork();\n", (b"vfork",))
    assert mentions(b"#define xvfork() vfork()\n", (b"vfork",))
    assert mentions(b"x = XVFORK();\n", (b"vfork", b"XVFORK"))


def test_a_file_that_only_mentions_vfork_is_not_parsed(tmp_path, cli, monkeypatch):
    import codemod.engines.c.engine as engine
    (tmp_path / "a.c").write_text("/* we used to vfork() here */\nint follow_vfork;\n")
    made = []
    monkeypatch.setattr(engine.CFile, "__init__", lambda self, *a, **k: made.append(a) or (_ for _ in ()).throw(
        AssertionError("parsed")))
    code, out, _ = cli("scan", str(tmp_path / "a.c"))
    assert code == 0 and made == []


def test_python_modules_without_a_vfork_attribute_are_not_parsed():
    from codemod.engines.base import engine
    py = engine("python")
    assert py.mentions(b"import ctypes\nlibc = ctypes.CDLL(None)\npid = libc.vfork()\n", (b"vfork",))
    assert py.mentions(b"pid = libc.\\\n    vfork()\n", (b"vfork",))
    assert py.mentions(b"pid = (libc) . vfork()\n", (b"vfork",))
    assert not py.mentions(b'f = getattr(libc, "vfork")  # vfork by name\n', (b"vfork",))
    assert not py.mentions(b"libc.vfork_helper()\n", (b"vfork",))
    assert py.mentions(b'f = getattr(libc, "vfork")\n', (b"vfork", b"spawn_child"))   # aliases: every file
