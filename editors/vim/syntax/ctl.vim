" syntax/ctl.vim: highlighting of ctl specs (specs/language.md). The
" keyword and annotation lists are the lexer's (grammar/lexer.re) and the
" checker's (gen/check_annot.c); tests/editors/vim_test.py keeps them equal.
if exists("b:current_syntax")
  finish
endif

syn keyword ctlKeyword package import controller client uses fn async
syn keyword ctlStructure enum struct
syn keyword ctlType string int float bool json list map
syn keyword ctlBoolean true false

" Any name after "@" is an annotation; the checker refuses one it does not
" know, so those stand out.
syn match ctlAnnotationUnknown "@\s*\h\w*"
syn match ctlAnnotation "@\s*\%(deprecated\|idempotent\|json\|length\|max_event_age\|on_failure\|on_success\|range\|records\|retries\)\>"

syn region ctlString start=+"+ skip=+\\.+ end=+"+ oneline contains=ctlEscape
syn match ctlEscape contained +\\\%(["\\/bfnrt]\|u\x\{4}\)+
syn match ctlNumber "-\=\<\%(0\|[1-9]\d*\)\%(\.\d\+\)\=\%([eE][+-]\=\d\+\)\=\>"
syn match ctlOperator "->\|?"

syn keyword ctlTodo contained TODO FIXME XXX NOTE
syn match ctlComment "//.*$" contains=ctlTodo,@Spell
syn match ctlDocComment "///.*$" contains=ctlTodo,@Spell
syn match ctlComment "////.*$" contains=ctlTodo,@Spell
syn region ctlComment start="/\*" end="\*/" contains=ctlTodo,@Spell

hi def link ctlKeyword Keyword
hi def link ctlStructure Structure
hi def link ctlType Type
hi def link ctlBoolean Boolean
hi def link ctlAnnotation PreProc
hi def link ctlAnnotationUnknown Error
hi def link ctlString String
hi def link ctlEscape SpecialChar
hi def link ctlNumber Number
hi def link ctlOperator Operator
hi def link ctlTodo Todo
hi def link ctlComment Comment
hi def link ctlDocComment SpecialComment

let b:current_syntax = "ctl"
