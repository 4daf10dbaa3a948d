"""Direct tests of the Python engine's stages, each in pairs of "must not
change" (the stage declines) and "finds": sites (which calls reach vfork
through a ctypes handle, and the child of each), analysis (what the child
does) and provenance (what the code before vfork proves about descriptors)."""
import textwrap

import libcst as cst

from codemod.engines.py import analysis, provenance, sites


def _module(src: str) -> sites.Module:
    return sites.Module(cst.parse_module(textwrap.dedent(src)))


def _site(src: str):
    mod = _module(src)
    found, notes, _ = sites.collect(mod)
    return mod, found, notes


PROGRAM = """
    import ctypes, os
    libc = ctypes.CDLL(None, use_errno=True)

    def run(argv):
        r, w = os.pipe()
        pid = libc.vfork()
        if pid < 0:
            raise OSError(ctypes.get_errno(), "vfork")
        if pid == 0:
%s
        return pid
    """


def _child(body: str) -> str:
    return PROGRAM % textwrap.indent(textwrap.dedent(body).strip("\n"), " " * 12)


# -- sites -----------------------------------------------------------------

def test_sites_a_vfork_attribute_of_something_else_is_no_site():
    _, found, notes = _site("import os\nclass Fake:\n    def vfork(self): return 0\nFake().vfork()\n")
    assert found == [] and notes == []


def test_sites_a_call_through_a_ctypes_handle_is_a_site_with_its_child():
    mod, [site], notes = _site(_child('os.execv(argv[0], argv)\nos._exit(127)'))
    assert notes == [] and site.result == "pid" and site.function == "run"
    assert site.region.kind == "branch" and len(site.region.body) == 2
    assert site.error_path and site.review == []


def test_sites_an_alias_never_called_is_a_note_and_an_alias_called_is_a_site():
    _, found, [note] = _site("import ctypes\nlibc = ctypes.CDLL(None)\nvf = libc.vfork\n")
    assert found == [] and "bound to `vf` but never called" in note.what
    _, [site], notes = _site("import ctypes\nlibc = ctypes.CDLL(None)\nvf = libc.vfork\nvf()\n")
    assert notes == [] and [r.kind for r in site.review] == ["result-discarded"]


def test_sites_a_result_returned_is_review_with_its_kind():
    _, [site], _ = _site("import ctypes\nlibc = ctypes.CDLL(None)\ndef f():\n    return libc.vfork()\n")
    assert [r.kind for r in site.review] == ["result-returned"]


def test_sites_the_syntax_adapter_tells_a_return_statement():
    mod = _module("return_value = 1\ndef f():\n    return 1\n")
    ad = sites.Syntax(mod)
    assign = mod.module.body[0]
    ret = mod.module.body[1].body.body[0]
    assert not ad.returns(assign) and ad.returns(ret)


# -- analysis --------------------------------------------------------------

def _analysed(body: str, options=analysis.Options()):
    mod, [site], _ = _site(_child(body))
    return analysis.analyse(mod, site, {"r", "w", "argv", "pid", "libc"}, options,
                            lambda wanted: provenance.origins(mod, site, wanted))


def test_analysis_exec_then_exit_is_clean_and_has_a_spawn_plan():
    child = _analysed("os.execv(argv[0], argv)\nos._exit(127)")
    assert child.review == [] and child.plan is not None and child.plan.function == "posix_spawn"


def test_analysis_a_store_the_parent_sees_is_review_naming_the_variable():
    child = _analysed("argv[0] = 'x'\nos.execv(argv[0], argv)\nos._exit(127)")
    assert child.review and "argv" in child.review[0].text


def test_analysis_an_unknown_call_is_review_unless_it_is_a_safe_function():
    body = "prepare()\nos.execv(argv[0], argv)\nos._exit(127)"
    assert [r.kind for r in _analysed(body).review][:1] == ["unknown-function"]
    assert _analysed(body, analysis.Options(safe_functions=("prepare",))).review == []


def test_analysis_a_child_that_falls_out_is_review():
    child = _analysed("os.execv(argv[0], argv)")
    assert [r.kind for r in child.review] == ["falls-out"]


# -- provenance ------------------------------------------------------------

def test_provenance_a_pipe_made_before_vfork_is_open_there():
    mod, [site], _ = _site(_child("os.dup2(w, 1)\nos.execv(argv[0], argv)\nos._exit(127)"))
    found = dict(provenance.origins(mod, site, {"w", "r"}))
    assert set(found) == {"r", "w"} and found["w"].cloexec is True     # os.pipe() is close-on-exec


def test_provenance_proves_nothing_of_a_descriptor_closed_before_vfork_or_of_a_parameter():
    src = _child("os.dup2(w, 1)\nos.execv(argv[0], argv)\nos._exit(127)").replace(
        "        pid = libc.vfork()", "        os.close(w)\n        pid = libc.vfork()")
    mod, [site], _ = _site(src)
    assert dict(provenance.origins(mod, site, {"w"})) == {}
    assert dict(provenance.origins(mod, site, {"argv"})) == {}
    assert provenance.origins(mod, site, set()) == ()
