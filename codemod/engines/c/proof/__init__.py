"""Stage 3, the proof: where each site's child region is (sites, outcomes),
what it does (analysis, with project helpers summarised by summaries),
where values come from (provenance), whether its set-up maps onto
posix_spawn (spawnmatch), and calls of vfork through wrappers (indirect).
describe puts the index's knowledge in words for the reports.

Imports the front end and the project stage; summaries is handed the
checker it reads a helper's body with, so nothing here imports in a cycle."""
