"""The README and docs/: short, linked, and true to the tool."""
import re
import subprocess
import sys

from conftest import ROOT
README = ROOT / "README.md"
DOCS = ROOT / "docs"


def _anchors(text: str) -> set:
    """GitHub's heading anchors of a Markdown text (headings outside code)."""
    out, fence = set(), False
    for line in text.split("\n"):
        if line.startswith("```"):
            fence = not fence
        elif not fence and re.match(r"#{1,6} ", line):
            title = line.lstrip("#").strip().lower()
            out.add(re.sub(r"[^\w\- ]", "", title).replace(" ", "-"))
    return out


def test_the_readme_stays_short():
    assert len(README.read_bytes()) <= 10 * 1024


def test_every_link_of_the_readme_and_the_docs_reaches_its_target():
    broken = []
    for page in [README, *sorted(DOCS.glob("*.md"))]:
        for target in re.findall(r"\]\(([^)\s]+)\)", page.read_text()):
            if re.match(r"[a-z]+:", target):
                continue
            path, _, anchor = target.partition("#")
            where = (page.parent / path) if path else page
            if not where.exists():
                broken.append(f"{page.name}: {target}")
            elif anchor and anchor not in _anchors(where.read_text()):
                broken.append(f"{page.name}: {target} (no such heading)")
    assert not broken


def test_every_page_of_the_docs_is_linked_from_the_readme():
    linked = set(re.findall(r"\]\(docs/([^)#]+)", README.read_text()))
    assert linked == {p.name for p in DOCS.glob("*.md")}


def test_the_rules_page_is_current():
    """docs/rules.md is made from the rule and reason tables; regenerate it
    with `python -m codemod.output.rules > docs/rules.md`."""
    from codemod.output.rules import document
    assert (DOCS / "rules.md").read_text() == document()


def test_the_rules_page_names_every_rule_and_reason_kind():
    from codemod.core.kinds import KINDS
    from codemod.core.reasons import KINDS as REASONS
    page = (DOCS / "rules.md").read_text()
    assert all(f"`{name}`" in page for name in [*KINDS, *REASONS])


def test_the_readme_gives_the_two_set_up_commands_ci_runs():
    text = README.read_text()
    assert "python -m pip install . && vfork-codemod diff examples/" in text
    assert "python -m pip install '.[test]' && python -m pytest" in text
    assert "python -m pip install '.[test]'" in (ROOT / ".ci" / "run").read_text()


def test_the_readme_example_is_what_scan_prints(tmp_path):
    """The lines the README shows of `scan examples/` are lines it prints."""
    block = README.read_text().split("On the bundled examples `scan`\nprints:\n\n```\n", 1)[1].split("```", 1)[0]
    shown = [line for line in block.split("\n") if line and line != "..."]
    proc = subprocess.run([sys.executable, "-m", "codemod", "scan", "--no-cache", "examples/"], cwd=ROOT,
                          capture_output=True, text=True)
    printed = proc.stdout.split("\n")
    assert shown and all(line in printed for line in shown), (shown, printed)


def _rooms() -> set:
    """The module paths the architecture page's listing names."""
    text = (DOCS / "architecture.md").read_text()
    block = text.split("## The rooms", 1)[1].split("```\n", 1)[1].split("```", 1)[0]
    stack, named = [], set()
    for line in block.split("\n"):
        if not line.strip():
            continue
        indent = len(line) - len(line.lstrip())
        words = line.split()
        stack = [(i, f) for i, f in stack if i < indent]
        if words[0].endswith("/"):
            stack.append((indent, words[0]))
            continue
        for word in words:
            if not word.endswith(".py"):
                break
            named.add("".join(f for _, f in stack[1:]) + word)
    return named


def test_the_architecture_page_lists_every_module():
    package = ROOT / "codemod"
    modules = {p.relative_to(package).as_posix() for p in package.rglob("*.py")
               if p.name != "__main__.py" and not (p.name == "__init__.py" and p.parent.parent.name != "engines")}
    assert _rooms() == modules
