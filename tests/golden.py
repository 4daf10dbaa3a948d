"""Golden cases: one folder per case under tests/golden/<language>/.

A case folder holds:
  input.<ext>     the program before the tool runs
  expected.<ext>  what the tool must turn it into (absent: must not change)
  verdicts        one `LINE:COL VERDICT` per finding, in order
  args            optional: extra command-line flags, one per line
  configs         optional: gcc flag sets, one per line, for the behaviour test
                  (each must compile and behave the same); default: no flags
Python cases also have:
  stdout          what the (rewritten) program prints when run
  crashes         present when the original program, run the same way, crashes
  error           present when the file must be reported as an error; holds
                  text the error message contains (no verdicts file then)
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Optional

GOLDEN = Path(__file__).resolve().parent / "golden"


@dataclass
class Case:
    name: str
    folder: Path
    ext: str

    @property
    def input(self) -> Path:
        return self.folder / f"input.{self.ext}"

    @property
    def expected(self) -> Optional[Path]:
        p = self.folder / f"expected.{self.ext}"
        return p if p.exists() else None

    @property
    def args(self) -> list:
        p = self.folder / "args"
        return p.read_text().split() if p.exists() else []

    @property
    def verdicts(self) -> list:
        return [ln.strip() for ln in (self.folder / "verdicts").read_text().splitlines() if ln.strip()]

    @property
    def configs(self) -> list:
        p = self.folder / "configs"
        if not p.exists():
            return [[]]
        return [ln.split() for ln in p.read_text().splitlines()]

    @property
    def error(self) -> Optional[str]:
        p = self.folder / "error"
        return p.read_text().strip() if p.exists() else None

    @property
    def stdout(self) -> Optional[bytes]:
        p = self.folder / "stdout"
        return p.read_bytes() if p.exists() else None

    @property
    def crashes(self) -> bool:
        return (self.folder / "crashes").exists()

    @property
    def runnable(self) -> bool:
        return b"int main" in self.input.read_bytes() or b"main(" in self.input.read_bytes()

    def __str__(self) -> str:
        return self.name


def cases(language: str, ext: str) -> list:
    base = GOLDEN / language
    return [Case(d.name, d, ext) for d in sorted(base.iterdir()) if (d / f"input.{ext}").exists()]


def options_from(args: list):
    from codemod.core.options import RunOptions
    target = "glibc"
    if "--target" in args:
        target = args[args.index("--target") + 1]
    defines = tuple((a.partition("=")[0], a.partition("=")[2] or "1") for f, a in zip(args, args[1:]) if f == "-D")
    undefines = tuple(a for f, a in zip(args, args[1:]) if f == "-U")
    return RunOptions(include_review="--include-review" in args, target=target, spawnp="--spawnp" in args,
                      defines=defines, undefines=undefines)
