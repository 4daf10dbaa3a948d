import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "golden"
sys.path.insert(0, str(ROOT / "tests"))


@pytest.fixture(autouse=True)
def _no_cache(monkeypatch):
    """Runs in tests analyse afresh (tests/files/test_cache.py turns the cache on):
    a cached result would hide what a test patches into the analysis."""
    monkeypatch.setenv("VFORK_CODEMOD_NO_CACHE", "1")


def pytest_configure(config):
    config.addinivalue_line("markers", "gcc: needs gcc on PATH")


@pytest.fixture
def cli(capsysbinary):
    """Run the command line in-process; returns (exit code, stdout bytes, stderr text)."""
    from codemod.cli import main

    def run(*args):
        code = main(list(args))
        out, err = capsysbinary.readouterr()
        return code, out, err.decode("utf-8", "replace")
    return run


def need_gcc():
    if shutil.which("gcc") is None:
        pytest.skip("gcc not installed")
