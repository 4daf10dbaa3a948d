"""A wheel built from the tree carries the query files and the console
script, and the code finds the queries inside it."""
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from conftest import ROOT


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    pytest.importorskip("hatchling")
    out = tmp_path_factory.mktemp("wheel")
    src = tmp_path_factory.mktemp("src") / "clone"
    # Build from the tracked files only, as a clean clone would.
    files = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    for name in files.splitlines():
        dest = src / name
        dest.parent.mkdir(parents=True, exist_ok=True)
        if (ROOT / name).exists():
            shutil.copy2(ROOT / name, dest)
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                    "-q", "-w", str(out), str(src)], check=True)
    (whl,) = out.glob("*.whl")
    return whl


def test_wheel_carries_queries_and_script(wheel):
    with zipfile.ZipFile(wheel) as z:
        names = z.namelist()
        scm = sorted(n for n in names if n.endswith(".scm"))
        entry = next(z.read(n) for n in names if n.endswith("entry_points.txt"))
    assert "codemod/grammars/c/vfork-references.scm" in scm
    assert len(scm) == len(list((ROOT / "grammars" / "c").glob("*.scm")))
    assert b"vfork-codemod = codemod.entry:main" in entry


def test_installed_copy_finds_its_queries(wheel, tmp_path):
    with zipfile.ZipFile(wheel) as z:
        z.extractall(tmp_path / "site")
    code = ("from codemod.engines.c.frontend.grammars import grammars_dir; import codemod.engines.c.frontend.syntax as s; "
            "s.query('vfork-references'); print(grammars_dir())")
    env = dict(os.environ, PYTHONPATH=str(tmp_path / "site"))
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env,
                          cwd=tmp_path, check=True)
    assert Path(proc.stdout.strip()) == tmp_path / "site" / "codemod" / "grammars"
