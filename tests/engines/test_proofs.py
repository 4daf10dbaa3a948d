"""The posix_spawn proofs (codemod/proofs/): which set-up translates exactly,
and the reason when it does not.  Each class of the exactness issue has a
case that is refused and, where one exists, the exact form that is taken."""
import pytest

from codemod.engines.proofs import descriptors as d
from codemod.engines.proofs import sessions as s

PIPE = d.Origin(False, 1, "pipe(p)")
PIPE_CLOEXEC = d.Origin(True, 1, "pipe2(p, O_CLOEXEC)")
BOTH_ENDS = (("p[0]", PIPE), ("p[1]", PIPE))


def fd(text):
    return d.Fd(text, int(text)) if text.isdigit() else d.Fd(text)


def close(x, line=2, checked=False):
    return d.Close(fd(x), line, f"close({x})", checked)


def dup2(a, b, line=3, checked=False):
    return d.Dup2(fd(a), fd(b), line, f"dup2({a}, {b})", checked)


def open_(var="fd", line=2, cloexec=False, checked=True):
    return d.Open(var, line, "open(p, O_RDONLY)" + (" | O_CLOEXEC" if cloexec else ""), cloexec, checked)


def guard(var, target, line=3):
    return d.Guard(var, fd(target), (dup2(var, target, line), close(var, line)), line, f"if ({var} != {target})")


def proof(*steps, origins=(), language="c"):
    return d.prove(tuple(steps), tuple(origins), language)


def test_pipe_ends_checked_before_vfork_are_exact():
    p = proof(close("p[0]"), dup2("p[1]", "1"), close("p[1]"), origins=BOTH_ENDS)
    assert p.exact
    assert [type(a).__name__ for a in p.actions] == ["AddClose", "AddDup2", "AddClose"]


def test_a_dup2_from_a_descriptor_of_unknown_origin_is_refused_in_c():
    p = proof(dup2("fd", "1"))
    assert not p.exact
    assert p.reason.startswith("`dup2(fd, 1)` fails when `fd` is not an open descriptor (nothing before vfork "
                               "shows that it is open); the child ignores that and execs anyway")


def test_a_checked_dup2_then_close_is_exact_whatever_the_descriptor():
    p = proof(dup2("fd", "1", checked=True), close("fd", 4))
    assert p.exact and all(a.checked for a in p.actions[:1])
    # Without the close, `fd` may be descriptor 1 itself with close-on-exec.
    assert "adddup2 clears close-on-exec" in proof(dup2("fd", "1", checked=True)).reason


def test_class_1_cloexec_open_moved_is_refused_unchecked_and_unguarded():
    p = proof(open_(cloexec=True, checked=False), dup2("fd", "0"), close("fd"))
    assert not p.exact


def test_class_1_the_exact_form_strips_close_on_exec():
    # stdin closed first: open() cannot return 1, so moving onto 1 is exact.
    p = proof(close("0"), open_(cloexec=True), dup2("fd", "1"), close("fd"))
    assert p.exact
    assert isinstance(p.actions[1], d.AddOpen) and p.actions[1].dst == fd("1")


def test_class_1_a_guarded_move_of_a_cloexec_descriptor_is_refused():
    p = proof(open_(cloexec=True), guard("fd", "0"))
    assert not p.exact
    assert "the guard skips the move and 0 keeps the close-on-exec flag" in p.reason


def test_class_2_setsid_then_setpgid_keeps_setsid_alone():
    plan = s.solve((s.Setsid(1, "setsid()"), s.Setpgid("0", 2, "setpgid(0, 0)")))
    assert (plan.setsid, plan.pgroup) == (True, None)
    assert plan.dropped == ((2, "`setpgid(0, 0)` after `setsid()` always fails (a session leader cannot change "
                                "its process group) and the child goes on: left out, since posix_spawn would "
                                "fail the whole spawn"),)


def test_class_2_setpgid_then_setsid_keeps_the_group_alone():
    plan = s.solve((s.Setpgid("0", 1, "setpgid(0, 0)"), s.Setsid(2, "setsid()")))
    assert (plan.setsid, plan.pgroup) == (False, "0")


def test_class_2_python_keeps_both_because_the_child_raises():
    plan = s.solve((s.Setsid(1, "os.setsid()"), s.Setpgid("0", 2, "os.setpgid(0, 0)")), "python")
    assert (plan.setsid, plan.pgroup) == (True, "0") and not plan.dropped


def test_an_unchecked_setpgid_to_a_group_variable_is_refused_in_c():
    plan = s.solve((s.Setpgid("pgrp", 4, "setpgid(0, pgrp)"),))
    assert not plan.exact
    assert plan.reason.startswith("`setpgid(0, pgrp)` fails at run time when `pgrp` names no process group")
    assert s.solve((s.Setpgid("pgrp", 4, "setpgid(0, pgrp)", checked=True),)).exact


def test_class_3_an_unchecked_open_is_refused():
    p = proof(open_(checked=False), guard("fd", "0"))
    assert not p.exact
    assert p.reason.startswith("`open(p, O_RDONLY)` can fail at run time")


def test_class_3_a_dup2_after_closing_its_source_is_refused():
    p = proof(close("p[1]"), dup2("p[1]", "2"), origins=BOTH_ENDS)
    assert not p.exact
    assert "(the child closes it at line 2)" in p.reason


def test_class_4_equal_dup2_is_left_out():
    p = proof(dup2("fd", "fd"))
    assert p.exact and p.actions == ()


def test_class_4_run_time_equal_dup2_of_a_cloexec_descriptor_is_refused():
    # p[1] may be descriptor 1 itself when 1 was closed as the pipe was made.
    p = proof(dup2("p[1]", "1"), origins=(("p[1]", PIPE_CLOEXEC),))
    assert not p.exact
    assert "adddup2 clears close-on-exec (glibc 2.29 and later, musl)" in p.reason
    # Closing it afterwards makes the flag irrelevant.
    assert proof(dup2("p[1]", "1"), close("p[1]"), origins=(("p[1]", PIPE_CLOEXEC),)).exact


def test_class_5_an_unguarded_move_can_meet_the_lowest_free_descriptor():
    p = proof(open_(), dup2("fd", "0"), close("fd"))
    assert not p.exact
    assert p.reason.startswith("when descriptor 0 is free and the lowest free one, `open(p, O_RDONLY)` returns 0 "
                               "itself")
    assert proof(open_(), guard("fd", "0")).exact


def test_dev_null_onto_all_three_standard_descriptors_is_exact():
    p = proof(open_(), dup2("fd", "0"), dup2("fd", "1"), dup2("fd", "2"),
              d.CloseAbove("fd", 2, 4, "if (fd > 2) close(fd)"))
    assert p.exact
    assert [type(a).__name__ for a in p.actions] == ["AddOpen", "AddDup2", "AddDup2"]


def test_python_close_of_an_unknown_descriptor_is_refused():
    p = proof(close("3"), language="python")
    assert not p.exact
    assert "posix_spawn ignores a close of a descriptor that is not open" in p.reason
    assert proof(close("r"), origins=(("r", PIPE_CLOEXEC),), language="python").exact


def test_an_open_left_open_is_refused():
    p = proof(open_(), dup2("fd", "0"))
    assert not p.exact


@pytest.mark.parametrize("steps", [
    (open_(), d.Close(fd("9"), 3, "close(9)")),            # the opened descriptor is never moved
    (open_(), dup2("fd", "0"), dup2("2", "1"), close("fd")),  # something between the moves
])
def test_open_groups_that_are_not_moves_are_refused(steps):
    assert not proof(*steps).exact
