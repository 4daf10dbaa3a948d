"""Every query in grammars/ compiles against the pinned tree-sitter-c, and
the installed package finds them."""
import pytest
import tree_sitter

from codemod.c.syntax import LANGUAGE, parse, captures
from codemod.grammars import grammars_dir, query_files

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
