" ftdetect/ctl.vim: a .ctl file is a ctl spec. Vim's own filetype.vim
" calls *.ctl Visual Basic (a UserControl file, which starts "VERSION"):
" this takes every other one.
autocmd BufRead,BufNewFile *.ctl if getline(1) !~# '^VERSION ' | set filetype=ctl | endif
