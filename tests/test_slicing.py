"""A large Python module is read through its slice (codemod.engines.py.slicing):
the findings must be those of the whole module, for generated modules of
every binding form and for the golden inputs."""
import pytest
from hypothesis import given, settings, strategies as st

from golden import GOLDEN
from codemod.engines.py import slicing
from codemod.engines.py.engine import PyFile

IMPORTS = ["import ctypes", "import ctypes as C", "from ctypes import CDLL as Lib", "from ctypes import cdll",
           "import ctypes.util", "from ctypes import c_int"]
STATEMENTS = [
    "lib = ctypes.CDLL(None)", "lib = C.CDLL(None)", "lib = Lib(None)", "lib = cdll.LoadLibrary('libc.so.6')",
    "lib = cdll.libc", "lib = ctypes.cdll['libc.so.6']", "other = ctypes.CDLL(None, use_errno=True)",
    "vf = lib.vfork", "vf2 = other.vfork", "alias = vf", "lib = None", "vf = print", "f(lib.vfork)",
    "print(other.vfork)", "x = 1; vf = lib.vfork", "open = lib.open", "open.restype = ctypes.c_int",
    "vf.restype = ctypes.c_int", "vf.argtypes = [c_int]", "del vf", "handles = [lib, other]",
    "def g():\n    global vf\n    vf = lib.vfork", "def h(lib):\n    return lib.vfork",
    "class K:\n    def __init__(self):\n        self.lib = ctypes.CDLL(None)\n    def v(self):\n"
    "        return self.lib.vfork",
    "@decorate\ndef vf():\n    pass", "for vf in []:\n    pass", "try:\n    pass\nexcept Exception as vf:\n    pass",
    "if lib:\n    vf = lib.vfork", "import os as vf", "# vf = lib.vfork", "s = 'lib.vfork'",
    "vf = (lib\n      .vfork)", "w = [\n    1,\n    2,\n]",
]
CALLS = ["vf()", "pid = vf()", "pid = lib.vfork()"]


def findings(source: bytes, sliced: bool, monkeypatch) -> list:
    import libcst
    monkeypatch.setattr(slicing, "SLICE_FROM", 0 if sliced else 1 << 40)
    try:
        unit = PyFile(source, "m.py")
    except libcst.ParserSyntaxError as exc:
        return [("does not parse", str(exc))]
    return [(f.line, f.column, f.verdict, f.message, f.reasons, f.function) for f in unit.findings]


def module(imports, statements, filler: int) -> bytes:
    lines = list(imports) + [f"name{i} = lib{i % 3}.name{i}" for i in range(filler)] + list(statements)
    return ("\n".join(lines) + "\n").encode()


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(IMPORTS), min_size=1, max_size=3),
       st.lists(st.sampled_from(STATEMENTS + CALLS[:1]), min_size=1, max_size=10), st.integers(0, 5))
def test_the_slice_gives_the_findings_of_the_whole_module(imports, statements, filler):
    with pytest.MonkeyPatch.context() as mp:
        source = module(imports, statements, filler)
        assert findings(source, True, mp) == findings(source, False, mp), source.decode()


@pytest.mark.parametrize("case", sorted(p.name for p in (GOLDEN / "py").iterdir() if (p / "input.py").exists()))
def test_golden_inputs_read_through_the_slice(case, monkeypatch):
    source = (GOLDEN / "py" / case / "input.py").read_bytes()
    assert findings(source, True, monkeypatch) == findings(source, False, monkeypatch)


def bindings_module(count: int) -> bytes:
    out = ['"""Generated."""', "import ctypes", "", "_libc = ctypes.CDLL(None, use_errno=True)", ""]
    for i in range(count):
        name = "vfork" if i == 7 else f"fn{i}"
        out += [f"{name} = _libc.{'vfork' if i == 7 else name}", f"{name}.restype = ctypes.c_int",
                f"{name}.argtypes = [ctypes.c_int]", ""]
    return "\n".join(out).encode()


def test_a_bindings_module_is_read_in_a_few_lines(monkeypatch):
    source = bindings_module(600)
    sliced = slicing.relevant_source(source)
    assert sliced is not None and sliced.source.count(b"\n") <= 6 and len(source) > 20_000
    assert sliced.lines == [2, 4, 34]                   # the docstring is a statement: left out
    got = findings(source, True, monkeypatch)
    assert got == findings(source, False, monkeypatch)
    assert [(line, message) for line, _, _, message, _, _ in got] == [
        (34, "`_libc.vfork` bound to `vfork` but never called: not a call, not rewritten")]


def test_a_module_with_a_call_is_read_whole(monkeypatch):
    source = bindings_module(600) + b"\npid = vfork()\n"
    parsed = []
    import libcst
    real = libcst.parse_module
    monkeypatch.setattr(libcst, "parse_module", lambda text, *a: parsed.append(len(text)) or real(text, *a))
    monkeypatch.setattr(slicing, "SLICE_FROM", 0)
    unit = PyFile(source, "m.py")
    assert parsed[-1] == len(source) and any(f.verdict.name != "NOTE" for f in unit.findings)


def test_small_unparsable_and_coded_modules(monkeypatch):
    assert slicing.relevant_source(b"import ctypes\n") is None            # small: read whole
    monkeypatch.setattr(slicing, "SLICE_FROM", 0)
    assert slicing.relevant_source(b"print 'python 2'\n") is None        # libcst names the problem
    latin = b"# -*- coding: latin-1 -*-\n# caf\xe9\nimport ctypes\nx = 1\nlib = ctypes.CDLL(None)\nv = lib.vfork\n"
    sliced = slicing.relevant_source(latin)
    assert sliced.lines == [1, 2, 3, 5, 6] and sliced.source.startswith(b"# -*- coding: latin-1")
    bom = b"\xef\xbb\xbfx = 1\nimport ctypes\nlib = ctypes.CDLL(None)\nv = lib.vfork\n"
    assert slicing.relevant_source(bom).source.startswith(b"\xef\xbb\xbf")
    assert findings(latin, True, monkeypatch) == findings(latin, False, monkeypatch)
