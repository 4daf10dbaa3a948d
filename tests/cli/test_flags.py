"""The command line as CI and people use it: excludes that hold for named
files, the standard flags, usage errors, `rule`, git's exclude files,
standard input, the scan wording, completion scripts."""
import json

from golden import GOLDEN

SPAWN = (GOLDEN / "c" / "spawn_decl_init" / "input.c").read_bytes()
REVIEW = (GOLDEN / "c" / "review_store_before_exec" / "input.c").read_bytes()

def test_force_exclude_holds_for_named_files(cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".vfork-codemod.toml").write_text('exclude = ["third_party/"]\n')
    (tmp_path / "third_party").mkdir()
    (tmp_path / "third_party" / "v.c").write_bytes(SPAWN)
    code, _, _ = cli("scan", "third_party/v.c")
    assert code == 1                                            # named files ignore excludes ...
    code, out, _ = cli("scan", "--force-exclude", "third_party/v.c")
    assert code == 0 and b"0 files scanned" in out             # ... unless forced


def test_standard_flags(cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.c").write_bytes(REVIEW)
    (tmp_path / "s.c").write_bytes(SPAWN)
    code, out, _ = cli("--color", "never", "-q", "scan", ".")         # global options before the command
    assert code == 1 and out.decode().splitlines()[-1].startswith("s.c:10:14: spawn:")
    code, out, _ = cli("scan", "--exit-zero", ".")
    assert code == 0 and b"2 files scanned" in out
    code, out, _ = cli("scan", "--statistics", ".")
    assert code == 1 and out.decode().split() == ["1", "vfork-review", "review", "1", "vfork-to-spawn", "spawn"]
    code, out, _ = cli("scan", "--format", "json", "-o", "report.json", ".")
    assert code == 1 and out == b"" and len(json.loads((tmp_path / "report.json").read_text())["findings"]) == 2
    code, out, _ = cli("diff", "--output-file", "changes.diff", "--exit-zero", ".")
    assert code == 0 and out == b"" and (tmp_path / "changes.diff").read_bytes().startswith(b"--- a/s.c")
    code, _, err = cli("scan", "-o", str(tmp_path / "no" / "such" / "dir.json"), ".")
    assert code == 2 and "dir.json" in err


def test_usage_errors_help_the_user(tmp_path):
    import subprocess
    import sys

    def run(*args):
        return subprocess.run([sys.executable, "-m", "codemod", *args], capture_output=True, text=True, cwd=tmp_path)
    proc = run("scna", ".")
    assert proc.returncode == 2 and "did you mean 'scan'?" in proc.stderr
    proc = run("scan", "--form", "json", ".")                          # no abbreviations
    assert proc.returncode == 2 and "unrecognized arguments: --form" in proc.stderr
    for command in ("scan", "diff", "apply", "review", "rule"):
        assert run(command, "--version").stdout.startswith("vfork-codemod ")
        text = run(command, "--help").stdout
        assert "exit status:" in text and "examples:" in text, command


def test_rule_explains_each_rule(cli):
    from codemod.core.kinds import KINDS
    code, out, _ = cli("rule", "--all")
    assert code == 0 and [line.split()[0] for line in out.decode().splitlines()] == list(KINDS)
    for rule in KINDS:
        code, out, _ = cli("rule", rule)
        text = out.decode()
        assert code == 0 and text.startswith(f"# {rule} ") and "Before:" in text and "Fix safety:" in text
    code, _, err = cli("rule", "vfork-to-spwn")
    assert code == 2 and "did you mean vfork-to-spawn?" in err


def test_the_walk_honours_git_info_exclude_and_core_excludes_file(cli, tmp_path, monkeypatch):
    import subprocess
    repo = tmp_path / "repo"
    (repo / "gen").mkdir(parents=True)
    (repo / "tmp").mkdir()
    for folder in ("gen", "tmp"):
        (repo / folder / "v.c").write_bytes(SPAWN)
    (repo / "kept.c").write_bytes(SPAWN)
    subprocess.run(["git", "init", "-q"], cwd=repo, check=True)
    (repo / ".git" / "info").mkdir(exist_ok=True)
    (repo / ".git" / "info" / "exclude").write_text("gen/\n")
    (tmp_path / "global-ignore").write_text("tmp/\n")
    subprocess.run(["git", "config", "core.excludesFile", str(tmp_path / "global-ignore")], cwd=repo, check=True)
    monkeypatch.chdir(repo)
    code, out, _ = cli("scan", "-j", "1", ".")
    assert b"kept.c" in out and b"gen/" not in out and b"tmp/" not in out and b"1 files scanned" in out
    code, out, _ = cli("scan", "-j", "1", "--no-gitignore", ".")
    assert b"3 files scanned" in out


def test_source_from_stdin(tmp_path):
    import subprocess
    import sys

    def run(*args):
        return subprocess.run([sys.executable, "-m", "codemod", *args], input=SPAWN, capture_output=True,
                              cwd=tmp_path)
    proc = run("scan", "-", "--stdin-filename", "src/x.c")
    assert proc.returncode == 1 and proc.stdout.startswith(b"src/x.c:10:14: spawn: fixable with posix_spawn")
    proc = run("diff", "-", "--stdin-filename", "src/x.c")
    assert proc.returncode == 1 and proc.stdout.startswith(b"--- a/src/x.c\n+++ b/src/x.c\n")
    proc = run("scan", "-")
    assert proc.returncode == 2 and b"--stdin-filename" in proc.stderr
    proc = run("apply", "-")
    assert proc.returncode == 2 and b"scan and diff" in proc.stderr


def test_scan_says_fixable_not_rewritten(cli, tmp_path):
    (tmp_path / "s.c").write_bytes(SPAWN)
    _, out, _ = cli("scan", str(tmp_path))
    text = out.decode()
    assert "rewritten" not in text and ": spawn: fixable with posix_spawn" in text
    assert text.splitlines()[-1].endswith("; 1 fixable with `vfork-codemod apply`")


def test_completion_scripts_follow_the_parser(cli, tmp_path):
    import shutil
    import subprocess
    code, out, _ = cli("completion", "bash")
    script = tmp_path / "c.bash"
    script.write_bytes(out)
    assert code == 0 and b"--report-unused-suppressions" in out and b"complete -F _vfork_codemod" in out
    if shutil.which("bash"):
        probe = ('source "$1"; COMP_WORDS=(vfork-codemod scan --format ""); COMP_CWORD=3; _vfork_codemod; '
                 'echo "${COMPREPLY[@]}"; COMP_WORDS=(vfork-codemod r); COMP_CWORD=1; _vfork_codemod; '
                 'echo "${COMPREPLY[@]}"')
        proc = subprocess.run(["bash", "-c", probe, "bash", str(script)], capture_output=True, text=True, check=True)
        assert proc.stdout.splitlines() == ["text json sarif github", "review rule"]
    code, out, _ = cli("completion", "zsh")
    assert code == 0 and out.startswith(b"#compdef vfork-codemod") and b"'--baseline[]'" in out


def test_a_run_builds_the_options_of_its_own_command():
    from codemod import cli as command_line
    assert command_line.command_of(["--jobs", "2", "--config", "scan", "diff", "."]) == "diff"   # values skipped
    assert command_line.command_of(["-q", "--color=never", "scan", "src/"]) == "scan"
    assert command_line.command_of(["sacn", "."]) is None and command_line.command_of(["--version"]) is None
    whole, scan = command_line._parser(), command_line._parser("scan")
    for words in (["scan", "--format", "json", "-j", "1", "--no-cache", "src"],
                  ["--color", "never", "scan", "--die-function", "xfunc_die", "-D", "X=1", "."]):
        assert vars(scan.parse_args(words)) == vars(whole.parse_args(words))
    # every command is still listed, with its line of help
    listing = command_line._parser("scan").format_help()
    for name in command_line.COMMAND_NAMES + ("campaign",):
        assert name in listing
    assert command_line.CAMPAIGN_HELP in listing and command_line.CAMPAIGN_HELP in whole.format_help()


def test_a_mistyped_command_still_gets_its_suggestion(capsys):
    import pytest
    from codemod.cli import main
    with pytest.raises(SystemExit) as stop:
        main(["-q", "sacn", "."])
    assert stop.value.code == 2 and "did you mean 'scan'?" in capsys.readouterr().err


def test_the_options_skipped_before_a_command_are_the_global_ones_taking_a_value():
    """command_of skips the word after each global option that takes one;
    a new such option must join that list, or its value could be taken
    for the command."""
    import argparse
    from codemod import cli as command_line
    p = argparse.ArgumentParser()
    command_line._global_options(p, None)
    valued = {flag for action in p._actions if action.nargs != 0 for flag in action.option_strings}
    assert valued == command_line._VALUED
