"""Every query in grammars/ compiles against the pinned tree-sitter-c, and
the installed package finds them."""
import pytest
import tree_sitter

from codemod.engines.c.frontend.syntax import LANGUAGE, parse, captures
from codemod.engines.c.frontend.grammars import grammars_dir, query_files

QUERIES = query_files("c")


def test_queries_are_shipped():
    assert {p.stem for p in QUERIES} >= {
        "vfork-references", "top-level-includes", "feature-macros", "environ-declarations"}


@pytest.mark.parametrize("path", QUERIES, ids=lambda p: p.name)
def test_query_compiles(path):
    query = tree_sitter.Query(LANGUAGE, path.read_text())
    assert query.pattern_count >= 1


@pytest.mark.parametrize("path", QUERIES, ids=lambda p: p.name)
def test_captures_are_namespaced(path):
    query = tree_sitter.Query(LANGUAGE, path.read_text())
    names = [query.capture_name(i) for i in range(query.capture_count)]
    assert names and all("." in n for n in names), names


def test_references_query_skips_comments_and_strings():
    tree = parse(b'/* vfork() */ const char *s = "vfork()"; int f(void) { return vfork(); }')
    found = captures("vfork-references", tree.root_node)
    assert [n.start_point.column for n in found["vfork.ref"]] == [62]


def test_grammars_dir_holds_c_queries():
    assert (grammars_dir() / "c").is_dir()


def _walk_index(fn):
    """What NodeIndex must hold, found the slow way: a full walk in source order."""
    from codemod.engines.c.frontend.syntax import walk
    by_type, idents = {}, {}
    for n in walk(fn):
        by_type.setdefault(n.type, []).append(n)
        if n.type == "identifier":
            idents.setdefault(n.text.decode("latin-1"), []).append(n)
    return by_type, idents


def test_function_index_matches_a_full_walk():
    from golden import cases
    from codemod.engines.c.frontend.syntax import NodeIndex, _indexed_types, walk
    checked = 0
    for case in cases("c", "c"):
        root = parse(case.input.read_bytes()).root_node
        for fn in (n for n in walk(root) if n.type == "function_definition"):
            idx = NodeIndex(fn)
            by_type, idents = _walk_index(fn)
            for t in _indexed_types():
                assert idx.of(t) == by_type.get(t, []), (case.name, t)
            assert {k.encode("utf-8", "surrogateescape"): v for k, v in idx.idents.items()} == \
                {k.encode("latin-1"): v for k, v in idents.items()}
            lo, hi = fn.start_byte + (fn.end_byte - fn.start_byte) // 3, fn.end_byte - 5
            assert idx.within("identifier", lo, hi) == [
                n for n in by_type.get("identifier", []) if lo <= n.start_byte < hi]
            both = idx.of("declaration", "if_statement")
            assert both == sorted(both, key=lambda n: n.start_byte)
            checked += 1
    assert checked > 40


def test_function_index_refuses_types_it_does_not_collect():
    from codemod.engines.c.frontend.syntax import NodeIndex
    fn = parse(b"int f(void) { for (;;) ; }").root_node.children[0]
    with pytest.raises(ValueError, match="for_statement"):
        NodeIndex(fn).of("for_statement")


@pytest.mark.parametrize("source", [
    b"#include <a.h>",
    b'#  include "b.h"\nint x;\n',
    b"/* #include <c.h> */\n#if X\n#include <d.h>\n#endif\n",
    b"#include <e.h>\n#include <f.h>\n",
    b"#include \\\n  <g.h>\r\n#include \\\r\n <h.h>\r\nint y;\\\n",
    b"int include;\n",
])
def test_includes_near_the_word_are_all_includes(source):
    from codemod.engines.c.frontend.syntax import captures_near
    root = parse(source).root_node
    everywhere = captures("includes", root).get("include.any", [])
    near = captures_near(root, b"include", "includes", whole_lines=True).get("include.any", [])
    assert sorted(n.start_byte for n in near) == sorted(n.start_byte for n in everywhere)
