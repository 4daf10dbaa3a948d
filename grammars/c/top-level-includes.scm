; #include lines directly in the translation unit (not under #if): new
; includes go after the last of these.
(translation_unit
  (preproc_include
    path: (_) @include.path) @include.line)
