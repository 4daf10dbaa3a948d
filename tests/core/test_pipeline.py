"""The pipeline's own decisions: which fixes of a file are made, and the
budget of reasons a finding lists."""
from codemod.core import limits
from codemod.core.model import Applicability, Edit, Finding, Fix, Verdict
from codemod.core.reasons import reason
from codemod.pipeline import select


def finding(line: int, edits: tuple, language: str = "c") -> Finding:
    fix = Fix(Applicability.SAFE, line, edits, target="fork")
    return Finding("f.c", line, 1, language, Verdict.FORK, "fixable with fork", (), None, fix)


def test_a_fix_overlapping_an_earlier_one_is_left_out_with_a_reason():
    first = finding(3, (Edit(10, 15, b"fork"),))
    second = finding(4, (Edit(12, 20, b"fork"),))
    apart = finding(9, (Edit(40, 45, b"fork"),))
    taken, out = select([second, first, apart], include_review=False)
    assert taken == [first, apart]
    assert out[1] is first and out[2] is apart
    assert [r.kind for r in out[0].reasons] == ["fix-overlaps"]
    assert out[0].reasons[0].text == "not rewritten: its edits overlap another site's rewrite"


def test_a_python_fix_overlapping_is_worded_for_python():
    a, b = finding(3, (Edit(10, 15, b"x"),), "python"), finding(3, (Edit(10, 15, b"y"),), "python")
    _, out = select([a, b], include_review=False)
    assert out[1].reasons[-1].kind == "fix-overlaps"


def test_a_finding_lists_at_most_the_budget_of_reasons():
    many = tuple(reason("unknown-function", 10 + i, "c", name=f"f{i}") for i in range(10_000))
    plain = Finding("f.c", 5, 1, "c", Verdict.REVIEW, "needs review", many)
    capped = limits.capped(plain)
    assert len(capped.reasons) == limits.MAX_REASONS
    assert capped.reasons[:-1] == many[:limits.MAX_REASONS - 1]
    last = capped.reasons[-1]
    assert last.kind == "more-reasons" and last.line == 10 + limits.MAX_REASONS - 1
    assert last.text == "and 9,901 more reasons of these kinds: unknown-function (a finding lists at most 100; " \
        "the budget of reasons)"
    last_kind = many + (reason("configurations-too-many", 3, "c", n="2,048", most=16),)
    kept = limits.capped(Finding("f.c", 5, 1, "c", Verdict.REVIEW, "needs review", last_kind)).reasons
    assert len(kept) == limits.MAX_REASONS and kept[-2].kind == "configurations-too-many"
    assert kept[:98] == many[:98] and kept[-1].text.startswith("and 9,902 more reasons")
    few = Finding("f.c", 5, 1, "c", Verdict.REVIEW, "needs review", many[:3])
    assert limits.capped(few) is few
