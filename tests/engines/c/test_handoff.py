"""The exec-error hand-off becomes fork with a close-on-exec pipe: what the
rewrite does when the exec works, when it fails, when the pipe cannot be
made, and with two sites in one function."""
import subprocess

import pytest

from conftest import need_gcc
from codemod.core.model import Status, Verdict
from codemod.core.options import RunOptions
from codemod.pipeline import process_source

TWO_SITES = b"""#include <errno.h>
#include <stdio.h>
#include <unistd.h>
#include <sys/wait.h>

static int
twice(const char *first, const char *second)
{
	volatile int e1 = 0, e2 = 0;
	pid_t pid;
	int status;

	fflush(stdout);
	pid = vfork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		execl(first, first, "one", (char *)NULL);
		e1 = errno;
		_exit(127);
	}
	waitpid(pid, &status, 0);
	fflush(stdout);
	pid = vfork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		execl(second, second, "two", (char *)NULL);
		e2 = -1;
		_exit(126);
	}
	waitpid(pid, &status, 0);
	printf("e1 %d e2 %d status %d\\n", e1, e2, WEXITSTATUS(status));
	return 0;
}

int
main(void)
{
	twice("/bin/echo", "/bin/echo");
	twice("/nonexistent/a", "/bin/echo");
	twice("/bin/echo", "/nonexistent/b");
	return 0;
}
"""

EMFILE = b"""#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/resource.h>
#include <sys/wait.h>

int
main(void)
{
	volatile int exec_errno = 0;
	struct rlimit lim;
	pid_t pid;
	int status, fd;

	/* Leave no descriptor free: a pipe cannot be made, a vfork can. */
	fd = dup(0);
	close(fd);
	lim.rlim_cur = lim.rlim_max = (rlim_t)fd;
	setrlimit(RLIMIT_NOFILE, &lim);
	fflush(stdout);
	pid = vfork();
	if (pid < 0) {
		printf("failure path: %s\\n", strerror(errno));
		return 3;
	}
	if (pid == 0) {
		execl("/bin/true", "true", (char *)NULL);
		exec_errno = errno;
		_exit(127);
	}
	waitpid(pid, &status, 0);
	printf("started: status %d errno %d\\n", WEXITSTATUS(status), exec_errno);
	return 0;
}
"""


def rewrite(source: bytes, **options) -> bytes:
    result = process_source(source, "h.c", "c", RunOptions(**options))
    assert result.status is Status.CHANGED, result.error
    assert all(f.rule == "vfork-to-fork-pipe" for f in result.findings if f.verdict is Verdict.FORK)
    again = process_source(result.new, "h.c", "c", RunOptions(**options))
    assert again.status is Status.UNCHANGED, "a second run must change nothing"
    return result.new


def build_and_run(tmp_path, name: str, source: bytes) -> tuple:
    src = tmp_path / f"{name}.c"
    src.write_bytes(source)
    proc = subprocess.run(["gcc", "-Wall", "-Wextra", "-o", str(tmp_path / name), str(src)],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    run = subprocess.run([str(tmp_path / name)], capture_output=True, timeout=30)
    return proc.stderr, run.stdout, run.returncode


@pytest.mark.gcc
def test_two_handoff_sites_in_one_function(tmp_path):
    need_gcc()
    new = rewrite(TWO_SITES)
    assert new.count(b"static pid_t\n") == 2 and b"twice_handoff_fork2(" in new
    warnings, out_new, code_new = build_and_run(tmp_path, "after", new)
    _, out_old, code_old = build_and_run(tmp_path, "before", TWO_SITES)
    assert "warning" not in warnings
    assert (out_new, code_new) == (out_old, code_old)
    assert b"e1 2 e2 0" in out_old and b"e1 0 e2 -1" in out_old


@pytest.mark.gcc
def test_without_a_free_descriptor_the_failure_path_runs(tmp_path):
    """vfork needs no descriptor, the pipe does: the rewrite then fails as a
    failed vfork would, and the code's own failure path runs."""
    need_gcc()
    _, out_old, code_old = build_and_run(tmp_path, "before", EMFILE)
    _, out_new, code_new = build_and_run(tmp_path, "after", rewrite(EMFILE))
    assert out_old.startswith(b"started") and code_old == 0
    assert (out_new, code_new) == (b"failure path: Too many open files\n", 3)


def test_pipe2_with_gnu_source_on_glibc_else_pipe_and_fcntl():
    gnu = rewrite(b"#define _GNU_SOURCE\n" + EMFILE)
    assert b"pipe2(fds, O_CLOEXEC)" in gnu and b"F_SETFD" not in gnu
    for source, options in ((EMFILE, {}), (b"#define _GNU_SOURCE\n" + EMFILE, {"target": "posix"})):
        plain = rewrite(source, **options)
        assert b"pipe(fds)" in plain and b"fcntl(fds[1], F_SETFD, FD_CLOEXEC)" in plain and b"pipe2" not in plain


def test_generated_names_avoid_the_file_words():
    source = EMFILE.replace(b"int\nmain(void)\n{", b"static int main_handoff_fork;\nint\nmain(void)\n{")
    new = rewrite(source)
    assert b"main_handoff_fork2(&exec_errno)" in new
