; Every #include, wherever it is (also under #if): a header the file already
; includes somewhere is not added again.
(preproc_include
  path: (_) @include.any)
