; A file-scope declaration of `environ` (usually `extern char **environ;`).
(translation_unit
  (declaration
    declarator: (pointer_declarator
      declarator: (pointer_declarator
        declarator: (identifier) @environ.name)))
  (#eq? @environ.name "environ"))
