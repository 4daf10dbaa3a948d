; The nodes the analyses ask about within one function, collected in one
; pass on the C side (walking every node from Python costs far more).
; Capture names are `index.<node type>`.
(declaration) @index.declaration
(parameter_declaration) @index.parameter_declaration
(if_statement) @index.if_statement
(while_statement) @index.while_statement
(switch_statement) @index.switch_statement
(conditional_expression) @index.conditional_expression
(identifier) @index.identifier
(call_expression) @index.call_expression
(labeled_statement) @index.labeled_statement
(goto_statement) @index.goto_statement
