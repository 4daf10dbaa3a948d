"""Macros expanded as text as the preprocessor does (codemod.engines.c.proof.macros):
arguments pre-expanded unless pasted or stringified, results rescanned,
a macro never expanded inside itself, every step within a budget."""
from codemod.engines.c.project.knowledge import Definition
from codemod.engines.c.proof import macros


def table(source: dict):
    """``{name: (params, body)}`` as the callback preprocess() asks."""
    defs = {n: Definition(n, "macro", "m.h", 1, body, params) for n, (params, body) in source.items()}
    return defs.get


# busybox's shape: the kind is chosen by counting arguments, then pasted.
BB = {
    "ARG3": (("_0", "_1", "_2", "..."), "_2"),
    "KIND": (("...",), "ARG3(__VA_ARGS__, , _many)"),
    "PICK": (("name", "kind", "..."), "do##kind##name(__VA_ARGS__)"),
    "MSG": (("name", "kind", "..."), "PICK(name, kind, __VA_ARGS__)"),
    "say": (("...",), "MSG(_say, KIND(__VA_ARGS__), __VA_ARGS__)"),
}


def test_an_argument_is_expanded_before_a_macro_inside_pastes_it():
    macro = table(BB)
    assert macros.preprocess(macro("say"), ['"x"'], macro) == 'do_many_say("x")'
    assert macros.preprocess(macro("say"), ['"%s"', "y"], macro) == 'do_say("%s", y)'
    # Substituted as written (each macro call expanded where it is met), the
    # pasted operand is the call's text: no such name.
    lazy = macros.preprocess(macro("say"), ['"x"'], macro, pre_expand=False)
    assert lazy != 'do_many_say("x")' and "KIND" in lazy


def test_a_pasted_or_stringified_argument_is_not_expanded_first():
    macro = table({"F": (("x",), "#x pre ## x x"), "H": (("y",), "y")})
    assert macros.preprocess(macro("F"), ["H(2)"], macro) == '"H(2)" preH(2) 2'


def test_the_result_is_rescanned():
    macro = table({"EQ_": (("a", "sa", "T"), "do { T tmp = (a); if (!tmp) note(sa); } while (0)"),
                   "EQ": (("a",), "EQ_(a, #a, long long)")})
    assert macros.preprocess(macro("EQ"), ["x != 0"], macro) == \
        'do { long long tmp = (x != 0); if (!tmp) note("x != 0"); } while (0)'


def test_a_macro_is_not_expanded_inside_itself():
    macro = table({"report": (("...",), "report(2, __VA_ARGS__)"), "twice": (("x",), "report(x)")})
    assert macros.preprocess(macro("report"), ['"m"'], macro) == 'report(2, "m")'
    assert macros.preprocess(macro("twice"), ['"m"'], macro) == 'report(2, "m")'


def test_unbalanced_calls_and_budgets_give_no_text():
    macro = table({"F": (("x",), "G(x"), "G": (("x",), "x")})
    assert macros.preprocess(macro("F"), ["1"], macro) is None
    # Nesting: each level calls the next.
    deep = {f"L{i}": (("x",), f"L{i + 1}(x)") for i in range(macros.MAX_NESTING + 2)}
    deep[f"L{macros.MAX_NESTING + 2}"] = (("x",), "x")
    macro = table(deep)
    assert macros.preprocess(macro("L0"), ["1"], macro) is None
    shallow = table({k: v for k, v in deep.items() if int(k[1:]) >= 3})
    assert macros.preprocess(shallow("L3"), ["1"], shallow) == "1"
    # Calls: a body that calls a macro more often than the budget.
    many = table({"ONE": (("x",), "x"), "MANY": (("x",), " ".join(["ONE(x)"] * (macros.MAX_CALLS + 1)))})
    assert macros.preprocess(many("MANY"), ["1"], many) is None
    # Characters: an expansion over the budget.
    big = table({"TEN": (("x",), "x x x x x x x x x x"), "BIG": (("x",), "TEN(TEN(x))")})
    assert macros.preprocess(big("BIG"), ["a" * (macros.MAX_EXPANSION // 50)], big) is None
    assert macros.preprocess(big("BIG"), ["a"], big) == " ".join(["a a a a a a a a a a"] * 10)


def test_the_macros_around_a_call_are_not_expanded_inside_it():
    # busybox: bb_perror_msg_and_die(...) expands to a chain that pastes its
    # own name back; inside that chain the name is the function's.
    macro = table({"say": (("...",), "MSG(__VA_ARGS__)"), "MSG": (("...",), "say(__VA_ARGS__)")})
    assert macros.preprocess(macro("MSG"), ['"m"'], macro, active=("say",)) == 'say("m")'
    # Not knowing it sits in `say`, it expands `say` once more, back to MSG.
    assert macros.preprocess(macro("MSG"), ['"m"'], macro) == 'MSG("m")'
