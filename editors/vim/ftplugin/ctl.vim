" ftplugin/ctl.vim: comments in ctl specs ("///" documents the next
" declaration, "//" and "/* */" are plain comments).
if exists("b:did_ftplugin")
  finish
endif
let b:did_ftplugin = 1
setlocal commentstring=//\ %s
setlocal comments=:///,://,s1:/*,mb:*,ex:*/
setlocal formatoptions-=t formatoptions+=croql
let b:undo_ftplugin = "setlocal commentstring< comments< formatoptions<"
