# CtlGenerate.cmake: ctl_generate() for users' builds (and this one). The
# installed package (find_package(ctl)) includes it from ctlConfig.cmake.
#
#   ctl_generate(TARGET <target> SPECS <spec>... [IMPORT_DIRS <dir>...]
#                [CONTROLLERS <name>...] [CLIENT <name>])
#
# Runs `ctlc c` at build time into a folder of the target's own
# (${CMAKE_CURRENT_BINARY_DIR}/ctl_gen/<target>), so two targets may generate
# the same spec for different programs. Regenerates when a spec, one of its
# imports (through a depfile) or ctlc changes. Adds NAME.ctl.c to the target,
# the folder to its include path, and links the parts of libctl it needs
# (below).
#
# What the target is decides what it gets:
#   CONTROLLERS a b   it hosts a and b: their handlers are declared and must
#                     be defined (a missing one is a link error), their
#                     dispatch tables are defined, and it gets the stubs of
#                     what a and b `uses`;
#   CLIENT k          it is client k: the stubs of what k `uses` (a whole
#                     controller, or one function), no handler, no table;
#   both              both; neither: every controller and every stub.
# A name that the specs do not declare (or an empty one) fails the build,
# with ctlc's suggestion. Like protoc, ctlc writes C only for the SPECS
# listed: list an imported spec too when its types are used.
#
# The parts of libctl the target gets (runtime/README.md, "Parts"): the core
# always; libctl_aws (the Lambda transport: libcurl and libcrypto, which it
# opens at its first send) when something in it references
# the part: ctlc's C does when the target hosts a controller whose stubs
# reach one not hosted here or that has @idempotent functions (on Lambda the
# loop routes those to Lambda, and keeps keys in DynamoDB), and so does a
# call of ctl_client_use_lambda; libctl_aws is linked always and the static
# linker leaves it out otherwise, the target linking --as-needed so that its
# libraries go too. A target that hosts controllers (CONTROLLERS, or
# neither) is a ctl_main binary: it gets the Runtime API loop
# (libctl_rtapi), and `serve` and the local idempotency store
# (libctl_serve, libctl_sqlite: libmicrohttpd, libsqlite3) unless
# ctl_package_lambda packages it for Lambda, where neither is used.

function(ctl_generate)
  cmake_parse_arguments(G "" "TARGET;CLIENT" "SPECS;IMPORT_DIRS;CONTROLLERS" ${ARGN})
  if(NOT G_TARGET OR NOT G_SPECS)
    message(FATAL_ERROR "ctl_generate: TARGET and SPECS are required")
  endif()
  # CONTROLLERS "" or CLIENT "" is a mistake, not "all": said at configure
  # time, and by ctlc too.
  foreach(keyword CONTROLLERS CLIENT)
    if(${keyword} IN_LIST G_KEYWORDS_MISSING_VALUES)
      message(FATAL_ERROR "ctl_generate(TARGET ${G_TARGET}): ${keyword} names nothing; "
                          "leave ${keyword} out, or name what ${G_TARGET} is")
    endif()
  endforeach()
  # ctl::ctlc and ctl::ctl are aliases in ctl's own build and imported
  # targets where find_package(ctl) loaded this file.
  foreach(t ctl::ctlc ctl::ctl ctl::rtapi ctl::aws ctl::sqlite ctl::serve)
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
  if(G_CLIENT)
    list(APPEND args --client ${G_CLIENT})
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
    # For ctl_package_lambda, which reads the parts the C names.
    set_property(TARGET ${G_TARGET} APPEND PROPERTY CTL_GENERATED_SOURCES ${outdir}/${name}.c)
  endforeach()
  target_include_directories(${G_TARGET} PRIVATE ${outdir})
  set(parts ctl::aws)
  if(G_CONTROLLERS OR NOT G_CLIENT)
    list(APPEND parts ctl::rtapi)
    # CTL_LAMBDA: set by ctl_package_lambda (CtlPackage.cmake), read when
    # the build is generated, so the order of the calls does not matter.
    set(lambda "$<BOOL:$<TARGET_PROPERTY:${G_TARGET},CTL_LAMBDA>>")
    list(APPEND parts "$<$<NOT:${lambda}>:ctl::serve>" "$<$<NOT:${lambda}>:ctl::sqlite>")
  endif()
  target_link_libraries(${G_TARGET} PRIVATE ${parts} ${libctl})
  target_link_options(${G_TARGET} PRIVATE "LINKER:--as-needed")
endfunction()
