; Every identifier spelled `vfork` in code.  Comments and string literals are
; separate node types, so they never match.  The engine classifies each
; capture by its parent: a call, a declaration, a macro name, a value.
((identifier) @vfork.ref
  (#eq? @vfork.ref "vfork"))

; Macro bodies are opaque text to tree-sitter: `#define xvfork() vfork()`,
; `#undef vfork`.
((preproc_arg) @vfork.macro
  (#match? @vfork.macro "(^|[^A-Za-z0-9_])vfork($|[^A-Za-z0-9_])"))
