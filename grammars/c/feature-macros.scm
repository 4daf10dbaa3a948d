; `#define _GNU_SOURCE` anywhere at top level: glibc declares
; posix_spawn_file_actions_addchdir_np and POSIX_SPAWN_SETSID only then.
(translation_unit
  (preproc_def
    name: (identifier) @feature.name
    (#eq? @feature.name "_GNU_SOURCE")) @feature.define)
