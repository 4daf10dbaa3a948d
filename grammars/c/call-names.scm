; The name of every direct call: configured vfork aliases (`xvfork()`,
; `XVFORK()`) are found among these.
(call_expression
  function: (identifier) @call.name)
