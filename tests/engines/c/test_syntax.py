"""Incremental re-parsing checks quickly that a rewrite parses cleanly.
Its error recovery may differ from a fresh parse's (the tool then parses
afresh), but a clean incremental tree must be the fresh tree, and rewrites
of the golden cases must give the very same tree."""
from hypothesis import given, settings, strategies as st

from codemod.engines.c.engine import CFile
from codemod.engines.c.frontend.syntax import parse, reparse
from codemod.core.model import Edit
from codemod.core.edits import apply_edits
from codemod.pipeline import select
from golden import cases

C_CASES = cases("c", "c")
SNIPPETS = [b"", b";", b"\n", b"\r\n", b"{", b"}", b"x = 1;\n", b"if (a)\n\t", b"/* c */", b"#if X\n",
            b"#endif\n", b"fork", b"(void)", b"\"s\\n\"", b"\t\t_exit(1);\r\n", b"\xe9t\xe9"]


def trees(old: bytes, edits: list) -> tuple:
    new = apply_edits(old, edits)
    return reparse(parse(old), old, new, edits).root_node, parse(new).root_node, len(new)


def same_tree(old: bytes, edits: list) -> None:
    incremental, fresh, size = trees(old, edits)
    assert str(incremental) == str(fresh)
    assert incremental.end_byte == fresh.end_byte == size


def test_rewrites_of_every_golden_case():
    checked = 0
    for case in C_CASES:
        unit = CFile(case.input.read_bytes(), "input.c")
        picked, _ = select(unit.findings, include_review=True)
        if picked:
            edits = [e for f in picked for e in f.fix.edits]
            same_tree(unit.source, edits)
            checked += 1
    assert checked > 25


@st.composite
def edited(draw):
    source = draw(st.sampled_from(C_CASES)).input.read_bytes()
    cuts = sorted(draw(st.lists(st.integers(0, len(source)), min_size=2, max_size=8, unique=True)))
    edits = []
    for start, end in zip(cuts[::2], cuts[1::2]):
        insert = draw(st.booleans())
        edits.append(Edit(start, start if insert else end, draw(st.sampled_from(SNIPPETS))))
    return source, edits


@settings(max_examples=300, deadline=None)
@given(edited())
def test_random_edits_clean_incremental_tree_is_the_fresh_tree(case):
    source, edits = case
    incremental, fresh, size = trees(source, edits)
    if not incremental.has_error:
        assert str(incremental) == str(fresh)
        assert incremental.end_byte == size


def test_verify_falls_back_to_a_fresh_parse_when_the_incremental_tree_has_errors():
    from codemod.engines.c.rewrite.headers import error_count as _error_count
    src = (C_CASES[0].folder.parent / "spawn_assign_in_condition" / "input.c").read_bytes()
    edits = [Edit(1, 122, b"")]
    incremental, fresh, _ = trees(src, edits)
    assert incremental.has_error and _error_count(incremental) != _error_count(fresh)
    unit = CFile(src, "input.c")
    new = apply_edits(src, edits)
    unit._rendered = (new, edits)
    expected = "the rewritten file would not parse as cleanly as the original"
    assert _error_count(unit.root) == 0
    assert unit.verify(new) == expected


def test_has_inner_agrees_with_a_walk_of_every_node():
    """has_inner skips tokens; for the types it is used with (which always
    have children) it must answer as a walk over every node does, on every
    node of every golden C input (ERROR and MISSING nodes included)."""
    from codemod.engines.c.frontend.syntax import has_inner, walk
    kinds = [("call_expression", "assignment_expression", "update_expression"), ("break_statement",),
             ("pointer_declarator", "array_declarator")]
    checked = 0
    for case in C_CASES + [b"int f(void) { g(1 ; x = ; for (;;) break }\n"]:
        source = case if isinstance(case, bytes) else case.input.read_bytes()
        for node in walk(parse(source).root_node):
            for types in kinds:
                assert has_inner(node, types) == any(n.type in types for n in walk(node))
                checked += 1
    assert checked > 10_000


def _declarators_by_walk(node):
    """The specification of project._function_declarators (its first form)."""
    from codemod.engines.c.project.knowledge import _between
    from codemod.engines.c.frontend.syntax import walk
    return [n for n in walk(node) if n.type == "function_declarator"
            and not any(a.type == "parameter_list" for a in _between(n, node))]


def _functions_by_walk(node):
    """The specification of project._outermost_functions (its first form)."""
    from codemod.engines.c.project.knowledge import _between
    from codemod.engines.c.frontend.syntax import walk
    return [n for n in walk(node) if n.type == "function_definition" and n != node
            and not any(a.type == "function_definition" for a in _between(n, node))]


def test_the_index_finds_declarators_and_functions_as_a_full_walk_does():
    """The project index's pruned walks give what a walk over every node
    gives, on every top-level node of the golden C inputs and of code with
    function-pointer parameters, nested declarators and ERROR regions."""
    from codemod.engines.c.project.knowledge import _function_declarators, _outermost_functions
    extra = [b"int (*pick(int (*f)(void), char c))(long);\nvoid g(void (*cb)(int (*)(char)));\n",
             b"int a(void) { return 1; }\n}} int b(void) { int c(void); }\nint d(void) { }\n",
             b"static void (*handlers[4])(int);\nextern int e(int), *f(char (*)(void));\n",
             b"void o(void) { void m(void) { int i(void) { return 0; } } }\n"]        # GNU nested functions
    checked = 0
    for source in [c.input.read_bytes() for c in C_CASES] + extra:
        for node in parse(source).root_node.children:
            assert [n.id for n in _function_declarators(node)] == [n.id for n in _declarators_by_walk(node)]
            assert [n.id for n in _outermost_functions(node)] == [n.id for n in _functions_by_walk(node)]
            checked += bool(_declarators_by_walk(node)) + bool(_functions_by_walk(node))
    assert checked > 100


NULLS = ["NULL", "0", "(NULL)", "(struct sigaction *) NULL", "(sigset_t *)0", "((void *)(0))",
         "(const char *const *) NULL", "(char *) (NULL)"]
NOT_NULLS = ["1", "old", "&old", "(long) 0", "(sigset_t_ptr) 0", "(struct sigaction *) &old", "(char) 0",
             "nullptr_like", "(void *) 1"]


def _argument(expr: str):
    from codemod.engines.c.frontend.syntax import arguments, walk
    root = parse(f"void f(void) {{ g({expr}); }}".encode()).root_node
    assert not root.has_error
    (call,) = [n for n in walk(root) if n.type == "call_expression"]
    (arg,) = arguments(call)
    return arg


def test_null_pointer_reads_parentheses_and_pointer_casts():
    from codemod.engines.c.frontend.syntax import null_pointer
    assert [e for e in NULLS if not null_pointer(_argument(e))] == []
    # A cast that does not spell a pointer type, or any other value, is not read as null.
    assert [e for e in NOT_NULLS if null_pointer(_argument(e))] == []
