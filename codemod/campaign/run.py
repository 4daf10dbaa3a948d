"""`campaign run SOURCE --out DIR`: the migration of one repository.

1. Clone SOURCE (a git URL or a local repository; shallow) into
   DIR/cache/KEY, or refresh the clone there.
2. Skip when DIR/results/KEY/result.json is current: the same HEAD, tool
   version and flags.
3. In the clone: `scan --format json`, `review --all` (the patch series),
   then `apply --commit --branch BRANCH`; each step is its own process, so
   a crash in one is recorded and the campaign goes on.
4. Write DIR/results/KEY/: result.json, report.json, review/ and log.txt.

Every outcome is a result with a status: `ok`, `no-sources` (nothing the
tool reads), `clone-failed`, `failed` (a step crashed or errored).
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time

from codemod import __version__
from codemod.campaign import repos
from codemod.files import outdir, vcs

DEFAULT_BRANCH = "vfork-codemod"
APPLY_ONLY = ("--include-review",)      # flags that only `apply` takes


def _tool(args: list, cwd: str, log: list) -> subprocess.CompletedProcess:
    """This tool, in its own process (a crash stays in that process)."""
    proc = subprocess.run([sys.executable, "-m", "codemod", *args], cwd=cwd, capture_output=True)
    log.append(f"$ vfork-codemod {' '.join(args)}\nexit {proc.returncode}\n"
               + proc.stderr.decode("utf-8", "replace"))
    return proc


def _remote_head(source: str) -> str:
    """The commit the source's HEAD names now, without cloning ("" when unknown)."""
    proc = vcs.git(["ls-remote", source, "HEAD"], os.getcwd(), check=False)
    out = proc.stdout.decode().split()
    return out[0] if proc.returncode == 0 and out else ""


def _clone(source: str, cache: str) -> str:
    """A fresh shallow clone of ``source`` at ``cache``; its HEAD."""
    if os.path.exists(cache):
        shutil.rmtree(cache)
    os.makedirs(os.path.dirname(cache), exist_ok=True)
    url = source if repos.is_url(source) else "file://" + source
    vcs.git(["clone", "-q", "--depth", "1", "--no-tags", url, cache], os.path.dirname(cache))
    return vcs.head(cache) or ""


def current(result_path: str, head: str, flags: list, branch: str) -> bool:
    """The stored result is for this HEAD, tool version, flags and branch, and completed."""
    try:
        with open(result_path, encoding="utf-8") as fh:
            old = json.load(fh)
    except (OSError, ValueError):
        return False
    return bool(head) and old.get("head") == head and old.get("tool_version") == __version__ \
        and old.get("flags") == flags and old.get("branch") == branch and old.get("status") in ("ok", "no-sources")


def run(source: str, out: str, flags: list, branch: str = DEFAULT_BRANCH, force: bool = False) -> tuple:
    """(result, skipped): run the campaign's steps on one repository."""
    out = os.path.abspath(out)
    source = repos.normalise(source, os.getcwd())
    key = repos.key(source)
    rdir = os.path.join(out, "results", key)
    cache = os.path.join(out, "cache", key)
    result_path = os.path.join(rdir, "result.json")
    if not force and current(result_path, _remote_head(source), flags, branch):
        with open(result_path, encoding="utf-8") as fh:
            return json.load(fh), True
    started = time.time()
    result = {"version": 1, "repo": source, "key": key, "tool_version": __version__, "flags": flags,
              "branch": branch, "head": "", "status": "ok", "error": None, "summary": None,
              "rewritten": 0, "review": [], "commits": [], "seconds": 0.0}
    log: list = []
    folder = outdir.prepare(rdir)
    try:
        result["head"] = _clone(source, cache)
    except vcs.GitError as exc:
        result.update(status="clone-failed", error=str(exc))
        return _finish(folder, result, log, started), False
    steps_failed = _steps(cache, rdir, flags, branch, result, log)
    if steps_failed:
        result.update(status="failed", error=steps_failed)
    return _finish(folder, result, log, started), False


def _steps(cache: str, rdir: str, flags: list, branch: str, result: dict, log: list):
    """Scan, review, apply --commit; None, or why a step failed."""
    report = os.path.join(rdir, "report.json")
    common = [f for f in flags if f not in APPLY_ONLY]
    scan = _tool(["scan", "--format", "json", "--exit-zero", "-q", "-o", report, *common, "."], cache, log)
    try:
        with open(report, encoding="utf-8") as fh:
            doc = json.load(fh)
    except (OSError, ValueError):
        return f"scan failed (exit {scan.returncode}): {_last_line(scan.stderr)}"
    result["summary"] = doc["summary"]
    result["errors"] = [e["message"] if "path" not in e else f"{e['path']}: {e['message']}" for e in doc["errors"]]
    if doc["summary"]["files"] == 0:
        result["status"] = "no-sources"
        return None
    review_dir = os.path.join(rdir, "review")
    review = _tool(["review", "--all", "-q", "--out", review_dir, *common, "."], cache, log)
    try:
        with open(os.path.join(review_dir, "index.json"), encoding="utf-8") as fh:
            entries = json.load(fh)["patches"]
    except (OSError, ValueError, KeyError):
        return f"review failed (exit {review.returncode}): {_last_line(review.stderr)}"
    result["rewritten"] = sum(1 for e in entries if e["patch"] and e["verdict"] in ("spawn", "fork"))
    result["review"] = [{"path": e.get("file"), "line": e["line"], "reason": e["reason"]}
                        for e in entries if e["verdict"] == "review"]
    base = vcs.head(cache)
    apply = _tool(["apply", "--commit", "--branch", branch, "-q", *flags, "."], cache, log)
    if apply.returncode not in (0, 2):
        return f"apply failed (exit {apply.returncode}): {_last_line(apply.stderr)}"
    made = vcs.git(["rev-list", "--reverse", f"{base}..HEAD"], cache, check=False).stdout.decode().split()
    result["commits"] = made
    if apply.returncode == 2 and not made and result["rewritten"]:
        return f"apply failed: {_last_line(apply.stderr)}"
    return None


def _last_line(err: bytes) -> str:
    lines = [ln for ln in err.decode("utf-8", "replace").splitlines() if ln.strip()]
    return lines[-1] if lines else "no message"


def _finish(folder, result: dict, log: list, started: float) -> dict:
    result["seconds"] = round(time.time() - started, 3)
    outdir.write(folder, "log.txt", "\n".join(log).encode("utf-8", "replace"))
    outdir.write(folder, "result.json", (json.dumps(result, indent=2) + "\n").encode())
    return result
