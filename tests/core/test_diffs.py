"""Unified diffs: the whole-file path matches difflib, and the edit-guided
path (difflib run only on the lines the edits touch) gives hunks that turn
the old text into the new one, whatever the line endings."""
import difflib
import re
import shutil
import subprocess

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from codemod.core.diffs import NO_NEWLINE, unified
from codemod.core.edits import apply_edits
from codemod.core.model import Edit


def patched(old: bytes, diff: bytes) -> bytes:
    """Apply a one-file diff hunk by hunk, checking every old line it names."""
    if not diff:
        return old
    rows = diff.split(b"\n")[:-1]
    assert rows[0].startswith(b"--- ") and rows[1].startswith(b"+++ ")
    body = []  # (mark, line with its ending) with git's marker honoured
    for row in rows[2:]:
        if row + b"\n" == NO_NEWLINE:
            mark, text = body[-1]
            body[-1] = (mark, text[:-1])
        else:
            body.append((row[:1], row[1:] + b"\n"))
    lines = re.findall(rb"[^\n]*\n|[^\n]+$", old)  # lines end at LF only, as git sees them
    out, pos = [], 0
    for mark, text in body:
        if mark == b"@":
            head = re.match(rb"@@ -(\d+)(?:,(\d+))? \+\d+(?:,\d+)? @@\n$", mark + text)
            start = int(head.group(1)) - (0 if head.group(2) == b"0" else 1)
            assert start >= pos, "hunks overlap or go backwards"
            out += lines[pos:start]
            pos = start
            continue
        if mark in (b" ", b"-"):
            assert lines[pos] == text, (pos, lines[pos], text)
            pos += 1
        if mark in (b" ", b"+"):
            out.append(text)
    return b"".join(out + lines[pos:])


def test_whole_file_path_is_difflib():
    old = b"".join(b"line %d\n" % i for i in range(40))
    new = old.replace(b"line 3\n", b"line three\n").replace(b"line 30\n", b"")
    expected = b"".join(difflib.diff_bytes(difflib.unified_diff, old.splitlines(True), new.splitlines(True),
                                           b"a/f.c", b"b/f.c"))
    assert unified("f.c", old, new) == expected


def test_no_change_no_diff():
    assert unified("f.c", b"a\n", b"a\n") == b""
    assert unified("f.c", b"a\n", b"a\n", edits=[]) == b""


EDIT_CASES = {
    "scattered": (b"".join(b"l%d\n" % i for i in range(60)), [Edit(3, 5, b"X"), Edit(200, 203, b"Y\nZ")]),
    "crlf": (b"a\r\nb\r\nc\r\nd\r\n", [Edit(3, 3, b"inserted\r\n")]),
    "append_to_unterminated_last_line": (b"a\nb", [Edit(3, 3, b"c\n")]),
    "edit_last_unterminated_line": (b"a\nbb", [Edit(2, 3, b"x")]),
    "insert_at_start": (b"a\nb\n", [Edit(0, 0, b"#include <x.h>\n")]),
    "delete_whole_lines": (b"a\nb\nc\nd\n", [Edit(2, 6, b"")]),
    "append_at_end": (b"a\nb\n", [Edit(4, 4, b"c\n")]),
    "two_edits_one_line": (b"int a = vfork(), b = vfork();\n", [Edit(8, 13, b"fork"), Edit(21, 26, b"fork")]),
    "empty_old": (b"", [Edit(0, 0, b"x\ny")]),
    "lone_cr_is_content": (b"a\rb\nc\n", [Edit(4, 5, b"C")]),
}


@pytest.mark.parametrize("name", sorted(EDIT_CASES))
def test_edit_guided_diff_applies(name, tmp_path):
    old, edits = EDIT_CASES[name]
    new = apply_edits(old, edits)
    diff = unified("f.c", old, new, edits=edits)
    assert patched(old, diff) == new
    if shutil.which("git"):
        (tmp_path / "f.c").write_bytes(old)
        (tmp_path / "p.diff").write_bytes(diff)
        subprocess.run(["git", "apply", "--unsafe-paths", "p.diff"], cwd=tmp_path, check=True, capture_output=True)
        assert (tmp_path / "f.c").read_bytes() == new


def test_edits_that_do_not_make_new_are_refused():
    with pytest.raises(ValueError):
        unified("f.c", b"a\nb\n", b"a\nc\nd\n", edits=[Edit(2, 3, b"c")])


def test_same_as_difflib_when_alignment_is_unambiguous():
    old = b"".join(b"line %d\n" % i for i in range(100))
    edits = [Edit(old.index(b"line 10\n"), old.index(b"line 11\n"), b"ten\n"),
             Edit(old.index(b"line 70\n"), old.index(b"line 70\n"), b"new\n")]
    new = apply_edits(old, edits)
    assert unified("f.c", old, new, edits=edits) == unified("f.c", old, new)


@st.composite
def sources_and_edits(draw):
    lines = draw(st.lists(st.sampled_from([b"{\n", b"}\n", b"\n", b"x;\n", b"y;\r\n", b"z"]), max_size=30))
    old = b"".join(lines)
    points = sorted(draw(st.lists(st.integers(0, len(old)), max_size=8)))
    edits, last = [], -1
    for a, b in zip(points[::2], points[1::2]):
        if a == last:
            continue  # two insertions at one point are ambiguous; callers never make them
        text = draw(st.sampled_from([b"", b"q", b"\n", b"r;\n", b"{\n}\n", b"\r\n"]))
        edits.append(Edit(a, b, text))
        last = b
    return old, edits


@settings(max_examples=300, deadline=None)
@given(sources_and_edits())
def test_edit_guided_diff_reproduces_new(case):
    old, edits = case
    new = apply_edits(old, edits)
    diff = unified("f.c", old, new, edits=edits)
    assert patched(old, diff) == new
    assert (diff == b"") == (old == new)


def test_c_results_carry_the_edits_that_made_them():
    from golden import cases, options_from
    from codemod.pipeline import process_source
    checked = 0
    for case in cases("c", "c"):
        if case.expected is None:
            continue
        source = case.input.read_bytes()
        result = process_source(source, "input.c", "c", options_from(case.args))
        assert result.edits, case.name
        assert apply_edits(source, result.edits) == result.new, case.name
        assert patched(source, unified("input.c", source, result.new, edits=result.edits)) == result.new
        checked += 1
    assert checked >= 20
