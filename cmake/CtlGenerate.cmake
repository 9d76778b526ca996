# CtlGenerate.cmake: ctl_generate() for users' builds (and this one). The
# installed package (find_package(ctl)) includes it from ctlConfig.cmake.
#
#   ctl_generate(TARGET <target> SPECS <spec>... [IMPORT_DIRS <dir>...]
#                [CONTROLLERS <name>...])
#
# Runs `ctlc c` at build time into a folder of the target's own
# (${CMAKE_CURRENT_BINARY_DIR}/ctl_gen/<target>), so two targets may generate
# the same spec with different CONTROLLERS. Regenerates when a spec, one of
# its imports (through a depfile) or ctlc changes. Adds NAME.ctl.c to the
# target, the folder to its include path, and links libctl. CONTROLLERS names
# the controllers the target hosts: their dispatch tables are emitted and
# their handlers must be defined (a missing one is a link error); default all.
# Like protoc, ctlc writes C only for the SPECS listed: list an imported spec
# too when its types are used.

function(ctl_generate)
  cmake_parse_arguments(G "" "TARGET" "SPECS;IMPORT_DIRS;CONTROLLERS" ${ARGN})
  if(NOT G_TARGET OR NOT G_SPECS)
    message(FATAL_ERROR "ctl_generate: TARGET and SPECS are required")
  endif()
  # ctl::ctlc and ctl::ctl are aliases in ctl's own build and imported
  # targets where find_package(ctl) loaded this file.
  foreach(t ctl::ctlc ctl::ctl)
    if(NOT TARGET ${t})
      message(FATAL_ERROR "ctl_generate: no target ${t}; find_package(ctl) first")
    endif()
  endforeach()
  set(ctlc ctl::ctlc)
  set(libctl ctl::ctl)
  set(outdir ${CMAKE_CURRENT_BINARY_DIR}/ctl_gen/${G_TARGET})
  file(MAKE_DIRECTORY ${outdir})
  set(args "")
  foreach(dir ${G_IMPORT_DIRS})
    get_filename_component(dir ${dir} ABSOLUTE)
    list(APPEND args -I ${dir})
  endforeach()
  if(G_CONTROLLERS)
    string(JOIN "," hosts ${G_CONTROLLERS})
    list(APPEND args --host ${hosts})
  endif()
  foreach(spec ${G_SPECS})
    get_filename_component(abs ${spec} ABSOLUTE)
    get_filename_component(name ${spec} NAME)
    add_custom_command(
      OUTPUT ${outdir}/${name}.h ${outdir}/${name}.c
      COMMAND ${ctlc} c ${args} -o ${outdir} --depfile ${outdir}/${name}.d ${abs}
      DEPENDS ${abs} ${ctlc}
      DEPFILE ${outdir}/${name}.d
      COMMENT "ctlc c ${name} (${G_TARGET})"
      VERBATIM)
    target_sources(${G_TARGET} PRIVATE ${outdir}/${name}.c ${outdir}/${name}.h)
  endforeach()
  target_include_directories(${G_TARGET} PRIVATE ${outdir})
  target_link_libraries(${G_TARGET} PRIVATE ${libctl})
endfunction()
