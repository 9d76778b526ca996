# CtlGrammar.cmake: runs re2c and lemon on grammar/ at build time.
#
# Nothing generated is committed (.gitignore keeps grammar/*.c and *.h out,
# should someone run the tools in the source tree). lemon names its header
# after the grammar: grammar.y gives grammar.h (the TK_ codes), which cannot
# be mistaken for the runtime's public ctl/ctl.h. re2c runs with
# --no-generation-date and --no-version so its output is reproducible; lemon
# uses the template that the Debian package installs (or CTL_LEMON_TEMPLATE).

find_program(RE2C_EXECUTABLE re2c REQUIRED)
find_program(LEMON_EXECUTABLE lemon REQUIRED)
find_file(CTL_LEMON_TEMPLATE lempar.c
  PATHS /usr/share/lemon /usr/local/share/lemon /usr/share/sqlite3
  NO_DEFAULT_PATH REQUIRED)

# ctl_grammar(OUTDIR <dir> LEXER <lexer.re> PARSER <parser.y>)
# Sets CTL_GRAMMAR_SOURCES to the generated .c files.
function(ctl_grammar)
  cmake_parse_arguments(G "" "OUTDIR;LEXER;PARSER" "" ${ARGN})
  get_filename_component(name ${G_PARSER} NAME_WE)
  file(MAKE_DIRECTORY ${G_OUTDIR})
  add_custom_command(
    OUTPUT ${G_OUTDIR}/${name}.c ${G_OUTDIR}/${name}.h
    COMMAND ${LEMON_EXECUTABLE} -q -d${G_OUTDIR} -T${CTL_LEMON_TEMPLATE} ${G_PARSER}
    DEPENDS ${G_PARSER} ${CTL_LEMON_TEMPLATE}
    COMMENT "lemon ${name}.y"
    VERBATIM)
  get_filename_component(lexname ${G_LEXER} NAME_WE)
  add_custom_command(
    OUTPUT ${G_OUTDIR}/${lexname}.c
    COMMAND ${RE2C_EXECUTABLE} -W --no-generation-date --no-version
            -o ${G_OUTDIR}/${lexname}.c ${G_LEXER}
    DEPENDS ${G_LEXER}
    COMMENT "re2c ${lexname}.re"
    VERBATIM)
  set(CTL_GRAMMAR_SOURCES ${G_OUTDIR}/${name}.c ${G_OUTDIR}/${lexname}.c PARENT_SCOPE)
endfunction()
