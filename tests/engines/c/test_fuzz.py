"""Property-based test: C functions composed from vfork shapes, child
statements, preprocessor lines and junk.  For every one: no crash, a second
run changes nothing, no new tree-sitter ERROR nodes, `git apply` of the
printed diff gives exactly the rewrite, and when the input compiles the
rewrite compiles too.

CI runs a bounded number of examples; run more on demand with
VFORK_FUZZ_EXAMPLES=2000 python -m pytest tests/engines/c/test_fuzz.py
"""
import os
import shutil
import subprocess
import tempfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from codemod.engines.c.frontend.syntax import parse, walk
from codemod.core.diffs import unified
from codemod.core.model import Status
from codemod.core.options import RunOptions
from codemod.pipeline import process_source

EXAMPLES = int(os.environ.get("VFORK_FUZZ_EXAMPLES", "60"))

PRELUDES = [
    "#include <errno.h>\n#include <signal.h>\n#include <stdio.h>\n#include <stdlib.h>\n"
    "#include <fcntl.h>\n#include <sys/stat.h>\n#include <unistd.h>\n",
    "#define _GNU_SOURCE\n#include <errno.h>\n#include <signal.h>\n#include <stdio.h>\n"
    "#include <stdlib.h>\n#include <fcntl.h>\n#include <sys/stat.h>\n#include <unistd.h>\n",
]

SHAPES = [
    "\tpid = vfork();\n\tif (pid < 0)\n\t\treturn -1;\n\tif (pid == 0) {\n{child}\t}\n\treturn pid;\n",
    "\tpid = vfork();\n\tif (pid == 0) {\n{child}\t} else if (pid < 0) {\n\t\treturn -1;\n\t}\n\treturn pid;\n",
    "\tif ((pid = vfork()) == -1) {\n\t\treturn -1;\n\t} else if (pid == 0) {\n{child}\t}\n\treturn pid;\n",
    "\tswitch (pid = vfork()) {\n\tcase -1:\n\t\treturn -1;\n\tcase 0:\n{child}\tdefault:\n\t\tbreak;\n\t}\n"
    "\treturn pid;\n",
    "\tif (!vfork()) {\n{child}\t}\n\treturn 0;\n",
    "\twhile ((pid = vfork()) < 0 && errno == EAGAIN)\n\t\tsleep(1);\n\tif (pid == 0) {\n{child}\t}\n"
    "\treturn pid;\n",
    "\tpid = vfork();\n\tif (pid != 0) {\n\t\tif (pid < 0)\n\t\t\treturn -1;\n\t\treturn pid;\n\t} else {\n{child}\t}\n",
    "\tpid = vfork();\n\tif (pid < 0)\n\t\treturn -1;\n\tif (pid > 0)\n\t\treturn pid;\n{child}",
]

STATEMENTS = [
    "dup2(fd, 1);", "close(3);", "close(fd);", "setsid();", "chdir(\"/\");", "setpgid(0, 0);",
    "signal(SIGINT, SIG_DFL);", "signal(SIGHUP, SIG_IGN);", "umask(022);", "nice(1);",
    "for (i = 3; i < 10; i++)\n\t\t\tclose(i);", "if (fd > 2)\n\t\t\tclose(fd);", "counter = 1;",
    "printf(\"child\\n\");", "helper();", "execl(\"/bin/true\", \"true\", (char *)0);",
    "execv(argv[0], argv);", "execvp(argv[0], argv);", "_exit(127);", "exit(1);", "return 1;",
    "#ifdef EXTRA\n\t\tclose(4);\n#endif", "/* comment */", "write(2, \"no\\n\", 3);",
    "MACRO(fd) {", "@@ junk $$", "int tmp = fd;",
]
EXIT_TAIL = ["_exit(127);", "exit(127);", "abort();", ""]


@st.composite
def programs(draw):
    prelude = draw(st.sampled_from(PRELUDES))
    shape = draw(st.sampled_from(SHAPES))
    body = draw(st.lists(st.sampled_from(STATEMENTS), max_size=5))
    if draw(st.booleans()):
        body.append(draw(st.sampled_from(["execl(\"/bin/true\", \"true\", (char *)0);", "execv(argv[0], argv);"])))
    tail = draw(st.sampled_from(EXIT_TAIL))
    if tail:
        body.append(tail)
    child = "".join(f"\t\t{s}\n" for s in body)
    around = draw(st.sampled_from(["", "#if 1\n", "/* vfork() in a comment */\n", "static int unused_junk;\n"]))
    closing = "#endif\n" if around == "#if 1\n" else ""
    return (prelude + "extern void helper(void);\nint counter;\n" + around +
            "int f(int fd, char **argv)\n{\n\tpid_t pid;\n\tint i;\n\n" + shape.replace("{child}", child) +
            "}\n" + closing).encode()


def errors(source: bytes) -> int:
    return sum(1 for n in walk(parse(source).root_node) if n.type == "ERROR" or n.is_missing)


def compiles(path) -> bool:
    proc = subprocess.run(["gcc", "-fsyntax-only", "-Wall", "-Wextra", str(path)], capture_output=True)
    return proc.returncode == 0


@pytest.fixture(scope="module")
def work():
    folder = tempfile.mkdtemp(prefix="vfork-fuzz-")
    yield folder
    shutil.rmtree(folder)


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(source=programs(), include_review=st.booleans())
def test_generated_programs(source, include_review, work):
    options = RunOptions(include_review=include_review)
    result = process_source(source, "f.c", "c", options)
    assert result.status is not Status.FAILED, result.error
    if result.status is Status.UNCHANGED:
        return
    new = result.new
    assert process_source(new, "f.c", "c", options).status is Status.UNCHANGED, "second run changed it"
    assert errors(new) <= errors(source)
    with open(os.path.join(work, "f.c"), "wb") as fh:
        fh.write(source)
    with open(os.path.join(work, "p.diff"), "wb") as fh:
        fh.write(unified("f.c", source, new, edits=result.edits))
    compiled = shutil.which("gcc") and compiles(os.path.join(work, "f.c"))
    subprocess.run(["git", "apply", "--unsafe-paths", "p.diff"], cwd=work, check=True, capture_output=True)
    with open(os.path.join(work, "f.c"), "rb") as fh:
        assert fh.read() == new, "the printed diff does not give the rewrite"
    if compiled:
        assert compiles(os.path.join(work, "f.c")), new.decode(errors="replace")
