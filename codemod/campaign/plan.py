"""`campaign plan REPOS.txt --out DIR`: one job per repository.

Writes, under DIR:
  plan.json    the repositories, their keys and the run options (the report
               lists those not run yet)
  jobs.txt     one shell command line per repository: `parallel < jobs.txt`,
               `xargs -P`, a batch system
  jobs.jsonl   the same as JSON lines ({"repo", "key", "argv"}), for a CI matrix
"""
from __future__ import annotations

import json
import os
import shlex

from codemod.campaign import repos
from codemod.files import outdir

COMMAND = "vfork-codemod"     # the installed command, found on every host's PATH


def job_argv(source: str, out: str, flags: list) -> list:
    return [COMMAND, "campaign", "run", source, "--out", out, *flags]


def write(sources: list, out: str, flags: list) -> list:
    """Write the plan; return the jobs ({"repo", "key", "argv"})."""
    out = os.path.abspath(out)
    folder = outdir.prepare(out)
    jobs = [{"repo": s, "key": repos.key(s), "argv": job_argv(s, out, flags)} for s in sources]
    outdir.write(folder, "plan.json", (json.dumps({"version": 1, "flags": flags, "repositories": [
        {"repo": j["repo"], "key": j["key"]} for j in jobs]}, indent=2) + "\n").encode())
    outdir.write(folder, "jobs.txt", "".join(shlex.join(j["argv"]) + "\n" for j in jobs).encode())
    outdir.write(folder, "jobs.jsonl", "".join(json.dumps(j) + "\n" for j in jobs).encode())
    return jobs
