; Every macro definition, wherever it is (inside #if branches, structs,
; function bodies, ERROR regions): the project index reads them all.
(preproc_def) @macro.object
(preproc_function_def) @macro.function
