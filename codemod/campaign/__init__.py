"""Campaigns: one migration across many repositories, as map then reduce.

* :mod:`.repos` reads the list of repositories and names each one;
* :mod:`.plan` writes one job per repository, for any engine to run
  (GNU parallel, xargs, a CI matrix, a batch system);
* :mod:`.run` is one job: clone (or reuse), scan, review patches, commits on
  a branch, and a result file; skipped when the result is current;
* :mod:`.report` merges the results into `summary.json`, `summary.md` and,
  when asked, `summary.html`.

`campaign all` chains the three on one machine.
"""
