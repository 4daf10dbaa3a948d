"""Configuration ([tool.vfork-codemod] / .vfork-codemod.toml), flags over it,
and which files a directory walk selects."""
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from golden import GOLDEN

from conftest import ROOT
SPAWN = (GOLDEN / "c" / "spawn_execl_else_if" / "input.c").read_bytes()
UNKNOWN = (GOLDEN / "c" / "review_unknown_function" / "input.c").read_bytes()

WRAPPED = b"""#include <unistd.h>
extern pid_t XVFORK(void);
extern void exec_or_die(char **argv);
int start(char **argv)
{
	pid_t pid = XVFORK();
	if (pid < 0)
		return -1;
	if (pid == 0)
		exec_or_die(argv);
	return pid;
}
"""


def write(path: Path, data) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data if isinstance(data, bytes) else data.encode())
    return path


def verdicts(out: bytes) -> list:
    return [line.split(": ")[1] for line in out.decode().splitlines() if line.count(":") >= 3]


def test_pyproject_table_is_read_from_the_nearest_folder(cli, tmp_path, monkeypatch):
    write(tmp_path / "pyproject.toml", '[tool.vfork-codemod]\nsafe-functions = ["prepare_child"]\n')
    write(tmp_path / "src" / "u.c", UNKNOWN)
    monkeypatch.chdir(tmp_path / "src")
    code, out, _ = cli("scan", ".")
    assert verdicts(out) == ["fork"]


def test_dotfile_configuration_and_aliases_and_exec_wrappers(cli, tmp_path):
    write(tmp_path / "w.c", WRAPPED)
    assert cli("scan", str(tmp_path))[0] == 0            # XVFORK is not vfork by default
    write(tmp_path / ".vfork-codemod.toml", 'aliases = ["XVFORK"]\nexec-wrappers = ["exec_or_die"]\n')
    code, out, _ = cli("scan", "--format", "json", str(tmp_path))
    import json
    (f,) = json.loads(out)["findings"]
    assert (f["line"], f["column"], f["verdict"]) == (6, 14, "fork")
    assert any("`exec_or_die()` is a project exec wrapper" in r["message"] for r in f["reasons"])
    code, out, _ = cli("diff", str(tmp_path))
    assert b"+\tpid_t pid = fork();" in out


def test_flags_override_the_file(cli, tmp_path):
    write(tmp_path / ".vfork-codemod.toml", 'target = "posix"\ninclude-review = true\n')
    write(tmp_path / "s.c", (GOLDEN / "c" / "spawn_chdir_setsid_gnu" / "input.c").read_bytes())
    write(tmp_path / "r.c", (GOLDEN / "c" / "review_store_before_exec" / "input.c").read_bytes())
    code, out, _ = cli("diff", str(tmp_path))
    assert b"+\tpid = fork();" in out and b"posix_spawn" not in out      # review applied, setsid -> fork
    code, out, _ = cli("diff", "--target", "glibc", "--no-include-review", str(tmp_path))
    assert b"POSIX_SPAWN_SETSID" in out and out.count(b"+++ ") == 1


def test_spawnp_from_the_file_and_the_flag(cli, tmp_path):
    write(tmp_path / "p.c", (GOLDEN / "c" / "spawn_pid_nonzero_else" / "input.c").read_bytes())
    _, out, _ = cli("scan", str(tmp_path))
    assert verdicts(out) == ["fork"]
    write(tmp_path / ".vfork-codemod.toml", "spawnp = true\n")
    _, out, _ = cli("scan", str(tmp_path))
    assert verdicts(out) == ["spawn"]
    _, out, _ = cli("scan", "--no-spawnp", str(tmp_path))
    assert verdicts(out) == ["fork"]
    write(tmp_path / ".vfork-codemod.toml", 'spawnp = "yes"\n')
    code, _, err = cli("scan", str(tmp_path))
    assert code == 2 and "`spawnp` must be true or false" in err


def test_unknown_key_is_an_error_naming_key_and_file(cli, tmp_path):
    cfg = write(tmp_path / ".vfork-codemod.toml", 'exclude = []\ntargte = "posix"\n')
    write(tmp_path / "a.c", SPAWN)
    code, out, err = cli("scan", str(tmp_path))
    assert code == 2 and out == b""
    assert f"{cfg}: unknown key `targte`" in err


def test_bad_values_are_errors(cli, tmp_path):
    write(tmp_path / ".vfork-codemod.toml", 'target = "bsd"\n')
    code, _, err = cli("scan", str(tmp_path))
    assert code == 2 and "`target` must be" in err


def test_exclude_patterns_and_gitignore(cli, tmp_path):
    write(tmp_path / ".git" / "HEAD", "ref: refs/heads/main\n")
    write(tmp_path / ".gitignore", "build/\n*.gen.c\n")
    write(tmp_path / "sub" / ".gitignore", "!keep.gen.c\n")
    write(tmp_path / ".vfork-codemod.toml", 'exclude = ["third_party/"]\n')
    for name in ("a.c", "build/b.c", "x.gen.c", "sub/keep.gen.c", "third_party/t.c", "sub/c.c"):
        write(tmp_path / name, SPAWN)
    code, out, _ = cli("scan", str(tmp_path))
    seen = sorted(Path(line.split(":")[0]).relative_to(tmp_path).as_posix()
                  for line in out.decode().splitlines()[:-1])
    assert seen == ["a.c", "sub/c.c", "sub/keep.gen.c"]
    code, out, _ = cli("scan", "--no-gitignore", "--exclude", "sub/", str(tmp_path))
    assert out.count(b": spawn: ") == 3          # a.c, build/b.c, x.gen.c
    # Paths named explicitly are always processed.
    code, out, _ = cli("scan", str(tmp_path / "build" / "b.c"), str(tmp_path / "third_party" / "t.c"))
    assert out.count(b": spawn: ") == 2


def test_no_progress_output_without_a_terminal(tmp_path):
    for i in range(30):
        write(tmp_path / f"f{i}.c", b"int x;\n")
    proc = subprocess.run([sys.executable, "-m", "codemod", "scan", str(tmp_path)], capture_output=True, text=True)
    assert proc.returncode == 0 and proc.stderr == ""


class _Terminal:
    """A stand-in for a terminal on standard error, thread-safe as one is."""

    def __init__(self):
        import threading
        self.parts, self.lock = [], threading.Lock()

    def isatty(self):
        return True

    def write(self, text):
        with self.lock:
            self.parts.append(text)

    def flush(self):
        pass

    def getvalue(self):
        with self.lock:
            return "".join(self.parts)


@pytest.mark.parametrize("jobs", ["1", "2", "2 in workers"])
def test_progress_line_counts_walked_and_analysed_files_on_a_terminal(tmp_path, monkeypatch, jobs):
    from codemod.output import progress
    from codemod import cli
    if jobs == "2 in workers":                 # their analyses come back through the queue
        from codemod.files import parallel
        monkeypatch.setattr(parallel, "IN_PROCESS", 0)
        monkeypatch.setattr(parallel, "IN_PROCESS_BYTES", 0)
        jobs = "2"
    for i in range(30):
        write(tmp_path / f"d{i % 3}" / f"f{i}.c", b"int x;\n")
    site = (ROOT / "tests" / "golden" / "c" / "spawn_decl_init" / "input.c").read_bytes()
    for i in range(8):
        write(tmp_path / f"d{i % 3}" / f"site{i}.c", site)
    write(tmp_path / "named.c", b"int y;\n")
    err = _Terminal()
    monkeypatch.setattr(sys, "stderr", err)
    monkeypatch.setattr(progress, "DELAY", 0)
    monkeypatch.setattr(progress, "INTERVAL", 0.001)
    real = progress.Line.end

    def slowly(self, *args):          # each analysis lasts long enough to be drawn
        import time
        time.sleep(0.02)
        real(self, *args)
    monkeypatch.setattr(progress.Line, "end", slowly)
    assert cli.main(["scan", "-j", jobs, str(tmp_path / "d0"), str(tmp_path / "d1"), str(tmp_path / "d2"),
                     str(tmp_path / "named.c")]) == 1
    drawn = err.getvalue()
    lines = re.findall(r"vfork-codemod: (walking|analysing|learning the project): (\d+) files walked, (\d+) analysed", drawn)
    assert lines and max(int(w) for _, w, _ in lines) == 39, drawn
    assert max(int(a) for _, _, a in lines) == 8, drawn
    assert "walking" not in {s for s, w, a in lines if int(a) > 0}
    assert drawn.endswith("\r\x1b[K")                  # the line is cleared at the end


def test_progress_line_names_a_slow_file(tmp_path, monkeypatch):
    """A file whose analysis passes progress.SLOW seconds is named, with
    its time so far, while it is still being analysed."""
    import time
    from codemod.output import progress
    from codemod import cli, pipeline
    site = (ROOT / "tests" / "golden" / "c" / "spawn_decl_init" / "input.c").read_bytes()
    write(tmp_path / "fast.c", site)
    write(tmp_path / "big one.c", site)
    err = _Terminal()
    monkeypatch.setattr(sys, "stderr", err)
    monkeypatch.setattr(progress, "DELAY", 0)
    monkeypatch.setattr(progress, "INTERVAL", 0.01)
    monkeypatch.setattr(progress, "SLOW", 0.2)
    real = pipeline.process_source

    def analysis(source, path, *args):
        if path.endswith("big one.c"):
            time.sleep(0.6)
        return real(source, path, *args)
    monkeypatch.setattr(pipeline, "process_source", analysis)
    assert cli.main(["scan", "-j", "1", str(tmp_path)]) == 1
    drawn = err.getvalue()
    assert re.search(r"; \"?[^;]*big one\.c\"?: [0-9] s so far", drawn), drawn
    assert "fast.c: " not in drawn


def test_no_progress_line_with_quiet_or_without_a_terminal(tmp_path, monkeypatch):
    from codemod.output import progress
    from codemod import cli
    site = (ROOT / "tests" / "golden" / "c" / "spawn_decl_init" / "input.c").read_bytes()
    for i in range(3):
        write(tmp_path / f"s{i}.c", site)
    monkeypatch.setattr(progress, "DELAY", 0)
    monkeypatch.setattr(progress, "INTERVAL", 0.001)
    real = progress.Line.end

    def slowly(self, *args):          # long enough to be drawn, were it drawn
        import time
        time.sleep(0.02)
        real(self, *args)
    monkeypatch.setattr(progress.Line, "end", slowly)
    err = _Terminal()
    monkeypatch.setattr(sys, "stderr", err)
    assert cli.main(["-q", "scan", "-j", "1", str(tmp_path)]) == 1
    assert err.getvalue() == ""
    monkeypatch.setattr(err, "isatty", lambda: False)
    assert cli.main(["scan", "-j", "1", str(tmp_path)]) == 1
    assert err.getvalue() == ""


def test_pre_commit_hook_definition():
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    (hook, fix) = hooks
    assert hook["id"] == "vfork-codemod" and hook["language"] == "python"
    assert hook["entry"] == "vfork-codemod scan --force-exclude"     # pre-commit names excluded files too
    assert fix["id"] == "vfork-codemod-fix" and fix["entry"] == "vfork-codemod apply --force-exclude"
    import re
    for h in (hook, fix):
        assert all(re.search(h["files"], f) for f in ("a.c", "b.h", "c.py"))
        assert not re.search(h["files"], "README.md")


def test_pre_commit_entry_fails_on_new_vfork(tmp_path):
    """pre-commit runs the entry with the staged file names appended."""
    write(tmp_path / "new.c", SPAWN)
    write(tmp_path / "clean.c", b"int main(void) { return 0; }\n")
    run = lambda *files: subprocess.run([sys.executable, "-m", "codemod", "scan", *files], cwd=tmp_path,  # noqa
                                        capture_output=True, text=True)
    assert run("clean.c").returncode == 0
    bad = run("clean.c", "new.c")
    assert bad.returncode == 1 and "new.c:12:8: spawn" in bad.stdout


def test_progress_line_names_the_stage_of_the_run(tmp_path, monkeypatch):
    """Walking, analysing, learning the project (with the files it read),
    analysing again."""
    from codemod.output import progress
    from codemod import cli
    main = (ROOT / "tests" / "golden" / "c" / "spawn_decl_init" / "input.c").read_text()
    write(tmp_path / "lib.c", b"#include <unistd.h>\nvoid prep(int fd)\n{\n\tclose(fd);\n}\n")
    write(tmp_path / "main.c", main.replace("execv(", "prep(3);\n\t\texecv(", 1).encode())
    err = _Terminal()
    monkeypatch.setattr(sys, "stderr", err)
    monkeypatch.setattr(progress, "DELAY", 0)
    monkeypatch.setattr(progress, "INTERVAL", 0.001)
    real = progress.Line.end

    def slowly(self, *args):
        import time
        time.sleep(0.05)
        real(self, *args)
    monkeypatch.setattr(progress.Line, "end", slowly)
    cli.main(["scan", "-j", "1", str(tmp_path)])
    stages = re.findall(r"vfork-codemod: ([a-z ]+): \d+ files walked, \d+ analysed(, \d+ read)?", err.getvalue())
    names = [s for s, _ in stages]
    assert "analysing" in names and "learning the project" in names, err.getvalue()
    assert names.index("analysing") < names.index("learning the project")
    assert any(read for _, read in stages[names.index("learning the project"):])   # the files the index read
