# CtlPackage.cmake: a deployable function.zip for AWS Lambda's provided.al2023
# runtime, made of a controller binary (one that calls ctl_main).
#
#   ctl_package_lambda(<target> [CONTROLLER <name>] [OUTPUT <path>]
#                      [GLIBC_MAX <version>] [DYNAMIC])
#
# adds a target <target>_lambda (<target>_<name>_lambda with CONTROLLER),
# built by default, that writes OUTPUT (default
# ${CMAKE_CURRENT_BINARY_DIR}/lambda/<name or target>/function.zip) holding
#   bootstrap   the executable, mode 0755 (Lambda runs it with no arguments)
#   lib/        every shared library it needs (its DT_NEEDED, what it opens
#               with dlopen as its section .ctl_dlopen names them, and
#               theirs: only the parts of libctl it links bring theirs, see
#               ctl_generate) except glibc's own, which must
#               come from the system. Amazon Linux 2023 lacks libcjson, and its
#               libcurl and OpenSSL are other builds than the build machine's,
#               so they travel too.
# Lambda's LD_LIBRARY_PATH lists /lib64 and /usr/lib64 before /var/task/lib,
# so the system's libcurl, libssl or libz would win over the bundled ones;
# the function therefore gives the target an RPATH (DT_RPATH, not RUNPATH:
# only DT_RPATH is searched before LD_LIBRARY_PATH, and it also covers the
# libraries' own dependencies) of $ORIGIN/lib.
# A program that needs no shared library but glibc's is linked statically
# (-static, glibc's libc.a, cJSON's static library: CtlCjsonStatic.cmake),
# and its zip holds bootstrap alone: no loader, no relocations of libraries
# at its start (runtime/README.md, "A static leaf"). That is decided when it
# links, from what it links: it stays dynamic when its spec's C names
# libctl_aws (CTL_LINK_PART(aws): it calls controllers it does not host, or
# has @idempotent functions; the part opens libcurl and libcrypto with
# dlopen, which a static glibc program cannot), when the target links
# anything beyond libctl's parts itself (but glibc's m, pthread, rt), under the sanitizers, without
# ctl::cjson_static (CTL_STATIC_LEAF=OFF), or with DYNAMIC. A static link
# turns the linker's warnings into errors, so that glibc's words on what a
# static program cannot do (dlopen, getaddrinfo, NSS) stop the build:
# calling ctl_client_use_lambda from the program's own code is one; link it
# DYNAMIC then.
# The function's Handler setting names the controller to run (ctl_main reads
# it from _HANDLER); CONTROLLER checks at build time that the binary hosts it.
# The build fails when the binary or a bundled library needs a glibc newer
# than GLIBC_MAX (default 2.34, Amazon Linux 2023's), found with objdump -T.
# The zip is reproducible: the same inputs give the same bytes.
# Needs `zip` (Debian: zip), objdump and readelf (binutils) and touch
# (coreutils).
#
# This file also runs as a script (cmake -P) to do the packaging at build
# time; the function only wires that up.

if(CMAKE_SCRIPT_MODE_FILE AND DEFINED CTL_LINK_RSP)
  cmake_minimum_required(VERSION 3.20)
  # ---- script mode, before the link: -DCTL_LINK_RSP=<file> -DCTL_LINK_SOURCES=<the
  #      target's generated C> -DCTL_LINK_LIBS=<its LINK_LIBRARIES>: writes the
  #      compiler's arguments that make it static (or none) into <file>, and
  #      why into <file>.why (the packaging prints it).
  set(why "")
  foreach(c ${CTL_LINK_SOURCES})
    file(STRINGS "${c}" named REGEX "^CTL_LINK_PART\\(aws\\);")
    if(named AND NOT why)
      get_filename_component(name "${c}" NAME)
      set(why "dynamic: ${name} links libctl_aws, which opens libcurl and libcrypto with dlopen")
    endif()
  endforeach()
  # libctl's parts, and glibc's libraries that a static program has too.
  set(ours ctl ctl::ctl ctl_part_rtapi ctl::rtapi ctl_part_aws ctl::aws ctl_part_sqlite ctl::sqlite
           ctl_part_serve ctl::serve m pthread rt Threads::Threads)
  foreach(lib ${CTL_LINK_LIBS})
    if(NOT lib IN_LIST ours AND NOT why)
      set(why "dynamic: the target links ${lib}")
    endif()
  endforeach()
  if(why)
    file(WRITE "${CTL_LINK_RSP}.new" "")
  else()
    set(why "static")
    file(WRITE "${CTL_LINK_RSP}.new" "-static -Wl,--fatal-warnings\n")
  endif()
  # Rewritten only when it changes: the program relinks when it does.
  file(COPY_FILE "${CTL_LINK_RSP}.new" "${CTL_LINK_RSP}" ONLY_IF_DIFFERENT)
  file(REMOVE "${CTL_LINK_RSP}.new")
  file(WRITE "${CTL_LINK_RSP}.why" "${why}\n")
  return()
endif()

if(CMAKE_SCRIPT_MODE_FILE)
  cmake_minimum_required(VERSION 3.20)
  # ---- script mode: -DCTL_PKG_EXE -DCTL_PKG_OUTPUT [-DCTL_PKG_CONTROLLER] -DCTL_PKG_GLIBC_MAX
  set(stage "${CTL_PKG_OUTPUT}.stage")
  file(REMOVE_RECURSE "${stage}")
  file(REMOVE "${CTL_PKG_OUTPUT}")
  file(MAKE_DIRECTORY "${stage}/lib")

  if(CTL_PKG_CONTROLLER)
    execute_process(COMMAND "${CTL_PKG_EXE}" list OUTPUT_VARIABLE hosted RESULT_VARIABLE rc)
    string(REGEX MATCHALL "(^|\n)[^ \n][^\n]*" names "${hosted}")
    string(REPLACE "\n" "" names "${names}")
    if(NOT rc EQUAL 0 OR NOT CTL_PKG_CONTROLLER IN_LIST names)
      list(JOIN names ", " names)
      message(FATAL_ERROR "ctl_package_lambda: ${CTL_PKG_EXE} does not host a controller named "
                          "${CTL_PKG_CONTROLLER} (it hosts: ${names})")
    endif()
  endif()

  file(COPY_FILE "${CTL_PKG_EXE}" "${stage}/bootstrap")
  file(CHMOD "${stage}/bootstrap" PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE
       GROUP_READ GROUP_EXECUTE WORLD_READ WORLD_EXECUTE)

  # What the binary opens with dlopen, named in its section .ctl_dlopen
  # (libctl_aws opens libcurl and libcrypto at its first send:
  # runtime/src/lambda/aws_libs.h): found where its other libraries are,
  # else through ldconfig's cache, and bundled with their dependencies.
  find_program(CTL_READELF NAMES readelf)
  if(NOT CTL_READELF)
    message(FATAL_ERROR "ctl_package_lambda: readelf (binutils) is needed to read what the binary opens")
  endif()
  execute_process(COMMAND "${CTL_READELF}" -p .ctl_dlopen "${CTL_PKG_EXE}"
                  OUTPUT_VARIABLE dump ERROR_QUIET RESULT_VARIABLE rc)
  string(REGEX MATCHALL "\\[ *[0-9a-f]+\\]  [^\n]+" opened "${dump}")
  list(TRANSFORM opened REPLACE "^\\[ *[0-9a-f]+\\]  " "")
  # A static program (no program interpreter) has nothing to bundle and no
  # glibc to match: the zip is bootstrap.
  execute_process(COMMAND "${CTL_READELF}" -l "${CTL_PKG_EXE}" OUTPUT_VARIABLE headers RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "ctl_package_lambda: readelf -l ${CTL_PKG_EXE} failed")
  endif()
  set(linked_how "dynamic")
  if(CTL_PKG_LINKED AND EXISTS "${CTL_PKG_LINKED}")
    file(STRINGS "${CTL_PKG_LINKED}" linked_how LIMIT_COUNT 1)
  endif()
  if(NOT headers MATCHES "INTERP")
    if(opened)
      message(FATAL_ERROR "ctl_package_lambda: ${CTL_PKG_EXE} is static but opens ${opened} with dlopen")
    endif()
    set(libs "")
    set(newest "none (static)")
    set(linked_how "static")
  else()
    file(GET_RUNTIME_DEPENDENCIES
         EXECUTABLES "${CTL_PKG_EXE}"
         RESOLVED_DEPENDENCIES_VAR linked
         UNRESOLVED_DEPENDENCIES_VAR missing
         PRE_EXCLUDE_REGEXES
           "^(linux-vdso|linux-gate|ld-linux[^/]*|libc|libm|libpthread|libdl|librt|libresolv|libutil|libanl|libmvec|libnsl|libBrokenLocale)\\.so")
    set(dirs "")
    foreach(lib ${linked})
      get_filename_component(dir "${lib}" DIRECTORY)
      list(APPEND dirs "${dir}")
    endforeach()
    list(REMOVE_DUPLICATES dirs)
    set(dlopened "")
    foreach(soname ${opened})
      set(found "")
      foreach(dir ${dirs})
        if(NOT found AND EXISTS "${dir}/${soname}")
          set(found "${dir}/${soname}")
        endif()
      endforeach()
      if(NOT found)
        execute_process(COMMAND ldconfig -p OUTPUT_VARIABLE cache ERROR_QUIET)
        string(REGEX MATCH "\t${soname} [^\n]*=> ([^\n]+)" hit "${cache}")
        set(found "${CMAKE_MATCH_1}")
      endif()
      if(NOT found)
        message(FATAL_ERROR "ctl_package_lambda: ${CTL_PKG_EXE} opens ${soname}, which is not found")
      endif()
      list(APPEND dlopened "${found}")
    endforeach()

    # glibc's libraries and the loader belong to the system, never to the zip.
    file(GET_RUNTIME_DEPENDENCIES
         EXECUTABLES "${CTL_PKG_EXE}"
         LIBRARIES ${dlopened}
         RESOLVED_DEPENDENCIES_VAR libs
         UNRESOLVED_DEPENDENCIES_VAR missing
         PRE_EXCLUDE_REGEXES
           "^(linux-vdso|linux-gate|ld-linux[^/]*|libc|libm|libpthread|libdl|librt|libresolv|libutil|libanl|libmvec|libnsl|libBrokenLocale)\\.so")
    if(missing)
      message(FATAL_ERROR "ctl_package_lambda: cannot find the libraries ${missing} of ${CTL_PKG_EXE}")
    endif()
    list(APPEND libs ${dlopened})
    list(REMOVE_DUPLICATES libs)
    set(checked "${stage}/bootstrap")
    foreach(lib ${libs})
      get_filename_component(name "${lib}" NAME)
      # By the name the binary asks for (the soname), as a plain file.
      file(COPY_FILE "${lib}" "${stage}/lib/${name}")
      file(CHMOD "${stage}/lib/${name}" PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ WORLD_READ)
      list(APPEND checked "${stage}/lib/${name}")
    endforeach()

    # The newest glibc symbol version anything in the zip needs.
    find_program(CTL_OBJDUMP NAMES objdump)
    if(NOT CTL_OBJDUMP)
      message(FATAL_ERROR "ctl_package_lambda: objdump (binutils) is needed to check glibc versions")
    endif()
    set(newest "0")
    set(newest_in "")
    foreach(f ${checked})
      execute_process(COMMAND "${CTL_OBJDUMP}" -T "${f}" OUTPUT_VARIABLE syms RESULT_VARIABLE rc)
      if(NOT rc EQUAL 0)
        message(FATAL_ERROR "ctl_package_lambda: objdump -T ${f} failed")
      endif()
      string(REGEX MATCHALL "\\*UND\\*[^\n]*GLIBC_[0-9.]+" refs "${syms}")
      foreach(ref ${refs})
        string(REGEX REPLACE ".*GLIBC_([0-9.]+)$" "\\1" v "${ref}")
        if(v VERSION_GREATER newest)
          set(newest "${v}")
          get_filename_component(newest_in "${f}" NAME)
        endif()
      endforeach()
    endforeach()
    if(newest VERSION_GREATER CTL_PKG_GLIBC_MAX)
      message(FATAL_ERROR "ctl_package_lambda: ${newest_in} needs GLIBC_${newest}, but the target system has "
                          "glibc ${CTL_PKG_GLIBC_MAX} (Amazon Linux 2023: 2.34). Build on an older system "
                          "(Amazon Linux 2023 itself, or a container of it), or pass GLIBC_MAX if the target "
                          "is newer.")
    endif()
    set(newest "GLIBC_${newest}")
  endif()

  find_program(CTL_ZIP NAMES zip)
  if(NOT CTL_ZIP)
    message(FATAL_ERROR "ctl_package_lambda: the zip program is needed (Debian: apt-get install zip)")
  endif()
  # The same binary and libraries make the same zip, byte for byte (so a
  # deployment can tell "unchanged" from the code's hash): every entry gets
  # one fixed time, entries go in sorted order (not the folder's), and -X
  # leaves out what differs between machines and runs (uid/gid and the
  # extra atime/ctime fields). zip keeps the Unix modes in the external
  # attributes. 1980-01-02, not the DOS epoch itself, so that no time zone
  # turns it into a date before 1980.
  find_program(CTL_TOUCH NAMES touch)
  if(NOT CTL_TOUCH)
    message(FATAL_ERROR "ctl_package_lambda: touch (coreutils) is needed to give the zip's entries a fixed time")
  endif()
  file(GLOB entries LIST_DIRECTORIES false RELATIVE "${stage}" "${stage}/lib/*")
  list(SORT entries)
  list(PREPEND entries bootstrap)
  execute_process(COMMAND "${CTL_TOUCH}" -d "1980-01-02 00:00:00" ${entries}
                  WORKING_DIRECTORY "${stage}" RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "ctl_package_lambda: touch failed (${rc})")
  endif()
  execute_process(COMMAND "${CTL_ZIP}" -q -X "${CTL_PKG_OUTPUT}" ${entries}
                  WORKING_DIRECTORY "${stage}" RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "ctl_package_lambda: zip failed (${rc})")
  endif()
  file(REMOVE_RECURSE "${stage}")
  file(SIZE "${CTL_PKG_OUTPUT}" size)
  list(LENGTH libs nlibs)
  message(STATUS "${CTL_PKG_OUTPUT}: ${size} bytes, bootstrap (${linked_how}) and ${nlibs} libraries; "
                 "newest glibc symbol ${newest} (limit ${CTL_PKG_GLIBC_MAX})")
  return()
endif()

function(ctl_package_lambda target)
  cmake_parse_arguments(PARSE_ARGV 1 arg "DYNAMIC" "CONTROLLER;OUTPUT;GLIBC_MAX" "")
  if(arg_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "ctl_package_lambda: unexpected arguments ${arg_UNPARSED_ARGUMENTS}")
  endif()
  if(NOT TARGET ${target})
    message(FATAL_ERROR "ctl_package_lambda: ${target} is not a target")
  endif()
  set(name ${target})
  set(zip_target ${target}_lambda)
  if(arg_CONTROLLER)
    set(name ${arg_CONTROLLER})
    set(zip_target ${target}_${arg_CONTROLLER}_lambda)
  endif()
  if(NOT arg_OUTPUT)
    set(arg_OUTPUT ${CMAKE_CURRENT_BINARY_DIR}/lambda/${name}/function.zip)
  endif()
  if(NOT arg_GLIBC_MAX)
    set(arg_GLIBC_MAX 2.34)
  endif()
  # A Lambda function: ctl_generate leaves out the parts it does not use
  # there (serve, the local idempotency store).
  set_property(TARGET ${target} PROPERTY CTL_LAMBDA ON)
  set_property(TARGET ${target} APPEND PROPERTY BUILD_RPATH "\$ORIGIN/lib")
  target_link_options(${target} PRIVATE "LINKER:--disable-new-dtags")
  get_filename_component(dir "${arg_OUTPUT}" DIRECTORY)
  # Static or not, decided before the link (script mode above). The
  # sanitizers' runtimes exist as shared libraries only.
  set(flags "${CMAKE_C_FLAGS} ${CMAKE_EXE_LINKER_FLAGS}")
  get_property(dir_opts DIRECTORY PROPERTY LINK_OPTIONS)
  get_property(target_opts TARGET ${target} PROPERTY LINK_OPTIONS)
  string(APPEND flags " ${dir_opts} ${target_opts}")
  set(why "")
  if(arg_DYNAMIC)
    set(why "dynamic: DYNAMIC")
  elseif(NOT TARGET ctl::cjson_static)
    set(why "dynamic: no static cJSON (ctl::cjson_static: CTL_STATIC_LEAF is off)")
  elseif(flags MATCHES "-fsanitize")
    set(why "dynamic: the sanitizers link shared libraries")
  endif()
  # Once per target: a binary packaged twice (one zip per CONTROLLER) links once.
  get_property(why_file TARGET ${target} PROPERTY CTL_LINK_WHY)
  get_property(was_dynamic TARGET ${target} PROPERTY CTL_LINK_DYNAMIC)
  if(why_file)
    if(NOT was_dynamic STREQUAL "${arg_DYNAMIC}")
      message(FATAL_ERROR "ctl_package_lambda: ${target} is packaged again with DYNAMIC "
                          "${arg_DYNAMIC}, and was with ${was_dynamic}: give DYNAMIC to every call or none")
    endif()
  elseif(NOT why)
    set(rsp ${CMAKE_CURRENT_BINARY_DIR}/ctl_link/${target}.rsp)
    add_custom_command(OUTPUT ${rsp}
      COMMAND ${CMAKE_COMMAND} -E make_directory ${CMAKE_CURRENT_BINARY_DIR}/ctl_link
      COMMAND ${CMAKE_COMMAND} -DCTL_LINK_RSP=${rsp}
              "-DCTL_LINK_SOURCES=$<TARGET_PROPERTY:${target},CTL_GENERATED_SOURCES>"
              "-DCTL_LINK_LIBS=$<TARGET_PROPERTY:${target},LINK_LIBRARIES>"
              -P ${CMAKE_CURRENT_FUNCTION_LIST_FILE}
      DEPENDS $<TARGET_PROPERTY:${target},CTL_GENERATED_SOURCES> ${CMAKE_CURRENT_FUNCTION_LIST_FILE}
      COMMENT "Linking ${target} statically or not"
      COMMAND_EXPAND_LISTS VERBATIM)
    target_sources(${target} PRIVATE ${rsp})
    target_link_options(${target} PRIVATE "@${rsp}")
    set_property(TARGET ${target} APPEND PROPERTY LINK_DEPENDS ${rsp})
    set(why_file ${rsp}.why)
  else()
    set(why_file ${CMAKE_CURRENT_BINARY_DIR}/ctl_link/${target}.why)
    file(WRITE ${why_file} "${why}\n")
  endif()
  set_property(TARGET ${target} PROPERTY CTL_LINK_WHY ${why_file})
  set_property(TARGET ${target} PROPERTY CTL_LINK_DYNAMIC "${arg_DYNAMIC}")
  add_custom_command(OUTPUT ${arg_OUTPUT}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${dir}
    COMMAND ${CMAKE_COMMAND} -DCTL_PKG_EXE=$<TARGET_FILE:${target}> -DCTL_PKG_OUTPUT=${arg_OUTPUT}
            -DCTL_PKG_CONTROLLER=${arg_CONTROLLER} -DCTL_PKG_GLIBC_MAX=${arg_GLIBC_MAX}
            -DCTL_PKG_LINKED=${why_file}
            -P ${CMAKE_CURRENT_FUNCTION_LIST_FILE}
    DEPENDS ${target} ${CMAKE_CURRENT_FUNCTION_LIST_FILE}
    COMMENT "Packaging ${target} for AWS Lambda (provided.al2023): ${arg_OUTPUT}"
    VERBATIM)
  add_custom_target(${zip_target} ALL DEPENDS ${arg_OUTPUT})
endfunction()
