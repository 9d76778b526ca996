# CtlEmbed.cmake: cmake -DIN=FILE -DOUT=FILE.c -DNAME=SYMBOL -P CtlEmbed.cmake
# Writes a C source defining `const char SYMBOL[]` (the bytes of FILE, then
# a NUL) and `const size_t SYMBOL_len` (without the NUL): a text file built
# into a program (ctlc's Python runtime part, gen/py_runtime.py).
file(READ ${IN} hex HEX)
string(LENGTH "${hex}" n)
math(EXPR len "${n} / 2")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
string(REGEX REPLACE "((0x[0-9a-f][0-9a-f],){16})" "\\1\n    " bytes "${bytes}")
file(WRITE ${OUT}.tmp "/* Generated from ${IN} by cmake/CtlEmbed.cmake. DO NOT EDIT. */\n"
     "#include <stddef.h>\n\nextern const char ${NAME}[];\nextern const size_t ${NAME}_len;\n\n"
     "const char ${NAME}[] = {\n    ${bytes}0x00\n};\nconst size_t ${NAME}_len = ${len};\n")
file(COPY_FILE ${OUT}.tmp ${OUT} ONLY_IF_DIFFERENT)
file(REMOVE ${OUT}.tmp)
