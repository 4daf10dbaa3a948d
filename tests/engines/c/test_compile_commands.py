"""--compile-commands: each file's -D/-U from the project's own database, and
every rewrite compiled with its file's command before it is kept.  One test
builds a real CMake project that exports compile_commands.json."""
import json
import os
import shutil
import stat
import subprocess

import pytest

from conftest import need_gcc

SOURCE = """#include <stdio.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

static int run(char **argv)
{
	pid_t pid;
	int status;

#ifdef USE_VFORK
	pid = vfork();
#else
	pid = fork();
#endif
	if (pid < 0)
		return -1;
	if (pid == 0) {
		execv(argv[0], argv);
		_exit(127);
	}
	waitpid(pid, &status, 0);
	return WEXITSTATUS(status);
}

int main(void)
{
	char *echo[] = { "/bin/echo", "built by cmake", NULL };

	fflush(stdout);
	printf("status: %d\\n", run(echo));
	return 0;
}
"""

CMAKE = """cmake_minimum_required(VERSION 3.10)
project(demo C)
set(CMAKE_EXPORT_COMPILE_COMMANDS ON)
add_executable(demo main.c)
target_compile_definitions(demo PRIVATE USE_VFORK)
"""


def _scan(cli, *args):
    code, out, err = cli("scan", "--format", "json", *args)
    assert code in (0, 1), err
    return json.loads(out)["findings"]


def test_a_cmake_project_end_to_end(tmp_path, cli, monkeypatch):
    need_gcc()
    if shutil.which("cmake") is None:
        pytest.skip("cmake not installed (pip install cmake)")
    src = tmp_path / "src"
    src.mkdir()
    (src / "main.c").write_text(SOURCE)
    (src / "CMakeLists.txt").write_text(CMAKE)
    build = tmp_path / "build"
    subprocess.run(["cmake", "-S", str(src), "-B", str(build)], check=True, capture_output=True)
    db = build / "compile_commands.json"
    assert db.exists()
    subprocess.run(["cmake", "--build", str(build)], check=True, capture_output=True)
    before = subprocess.run([str(build / "demo")], capture_output=True).stdout
    monkeypatch.chdir(src)

    [alone] = _scan(cli, "main.c")
    assert alone["verdict"] == "fork"                 # which branch builds is not known
    [known] = _scan(cli, "--compile-commands", str(db), "main.c")
    assert known["verdict"] == "spawn" and known["compiled_with_project_flags"] is True

    code, _, err = cli("apply", "--compile-commands", str(db), "main.c")
    assert code == 0, err
    text = (src / "main.c").read_text()
    assert "posix_spawn(&pid" in text and "#ifdef USE_VFORK" in text and "pid = fork();" in text
    subprocess.run(["cmake", "--build", str(build)], check=True, capture_output=True)
    after = subprocess.run([str(build / "demo")], capture_output=True).stdout
    assert after == before == b"built by cmake\nstatus: 0\n"


def _fake_compiler(tmp_path):
    """A compiler that warns about any source mentioning posix_spawn."""
    cc = tmp_path / "fakecc"
    cc.write_text("#!/bin/sh\nif grep -q posix_spawn; then echo '<stdin>:3:1: warning: spawn seen [-Wfake]' >&2; fi\n"
                  "exit 0\n")
    cc.chmod(cc.stat().st_mode | stat.S_IEXEC)
    return cc


def _database(tmp_path, compiler, *flags):
    db = tmp_path / "compile_commands.json"
    db.write_text(json.dumps([{"directory": str(tmp_path), "file": "main.c",
                               "arguments": [str(compiler), *flags, "-c", "main.c", "-o", "main.o"]}]))
    return db


def test_a_rewrite_that_adds_a_diagnostic_is_withheld(tmp_path, cli, monkeypatch):
    (tmp_path / "main.c").write_text(SOURCE)
    db = _database(tmp_path, _fake_compiler(tmp_path), "-DUSE_VFORK")
    monkeypatch.chdir(tmp_path)
    code, out, err = cli("diff", "--compile-commands", str(db), "main.c")
    assert code == 2 and out == b""
    assert "rewrite withheld: compiling with the project's flags adds 1 diagnostic(s): warning: spawn seen [-Wfake]" \
        in err
    assert (tmp_path / "main.c").read_text() == SOURCE


def test_the_files_own_flags_decide_and_the_command_line_wins(tmp_path, cli, monkeypatch):
    need_gcc()
    (tmp_path / "main.c").write_text(SOURCE)
    db = _database(tmp_path, shutil.which("gcc"), "-DUSE_VFORK")
    monkeypatch.chdir(tmp_path)
    [f] = _scan(cli, "--compile-commands", str(db), "main.c")
    assert f["verdict"] == "spawn" and f["compiled_with_project_flags"] is True
    assert _scan(cli, "--compile-commands", str(db), "-U", "USE_VFORK", "main.c") == []
    (tmp_path / ".vfork-codemod.toml").write_text('compile-commands = "compile_commands.json"\n')
    [f] = _scan(cli, "main.c")
    assert f["verdict"] == "spawn"
    code, _, err = cli("review", "--all", "--out", str(tmp_path / "patches"), "main.c")
    assert code == 0, err
    [patch] = (tmp_path / "patches").glob("0001-*.patch")
    assert "Compiled with the project's flags (compile_commands.json, -fsyntax-only)" in patch.read_text()
    index = json.loads((tmp_path / "patches" / "index.json").read_text())
    assert index["patches"][0]["compiled_with_project_flags"] is True


def test_a_bad_database_is_a_usage_error(tmp_path, cli):
    bad = tmp_path / "compile_commands.json"
    bad.write_text("{not json")
    code, _, err = cli("scan", "--compile-commands", str(bad), str(tmp_path))
    assert code == 2 and "--compile-commands" in err and "not JSON" in err
    bad.write_text(json.dumps([{"file": "a.c"}]))
    code, _, err = cli("scan", "--compile-commands", str(bad), str(tmp_path))
    assert code == 2 and "entry 1 needs `directory`" in err
    assert not os.path.exists(tmp_path / "a.c")
