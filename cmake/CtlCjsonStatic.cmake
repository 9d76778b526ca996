# CtlCjsonStatic.cmake: cJSON as a static library, for the static programs
# ctl_package_lambda makes of leaf controllers (runtime/README.md, "A static
# leaf"). Debian ships libcjson as a shared library only, so this builds one
# from Debian's own source package of the same version as the installed
# libcjson-dev (bookworm: 1.7.15-1+deb12u4), with Debian's patches (its
# security fixes among them) applied, in the build tree. cJSON's source never
# enters this project.
#
#   ctl_cjson_static()   in this build: the target ctl_cjson_static
#                        (installed as libctl_cjson.a, exported as
#                        ctl::cjson_static)
#
# The source package comes from CTL_CJSON_SOURCE_DIR when that names a folder
# holding its three files (the .dsc, the orig tarball and the debian tarball:
# what `apt-get source --download-only cjson=VERSION` leaves), else from
# deb.debian.org, once per build folder. The .dsc is checked against the hash
# written below, the tarballs against the .dsc's Checksums-Sha256.
#
# This file also runs as a script (cmake -P) that fetches, checks, unpacks and
# patches the source at build time; the function only wires that up.

set(CTL_CJSON_VERSION 1.7.15)
set(CTL_CJSON_DEBIAN_VERSION 1.7.15-1+deb12u4)
set(CTL_CJSON_DSC_SHA256 764c2de141d680f4fb4cada30c526dacaa30ead061b9b9c34f2b81e2df0f8439)
set(CTL_CJSON_POOL http://deb.debian.org/debian/pool/main/c/cjson)

if(CMAKE_SCRIPT_MODE_FILE)
  cmake_minimum_required(VERSION 3.20)
  # ---- script mode: -DCTL_CJSON_OUT=<folder> [-DCTL_CJSON_SOURCE_DIR=<folder>]
  #      [-DCTL_CJSON_HEADER=<the installed cjson/cJSON.h>]
  set(dl "${CTL_CJSON_OUT}/download")
  file(MAKE_DIRECTORY "${dl}")
  set(dsc "cjson_${CTL_CJSON_DEBIAN_VERSION}.dsc")
  string(CONCAT help "give CTL_CJSON_SOURCE_DIR a folder holding Debian's source package of cjson "
           "${CTL_CJSON_DEBIAN_VERSION} (apt-get source --download-only cjson=${CTL_CJSON_DEBIAN_VERSION}), "
           "or configure with -DCTL_STATIC_LEAF=OFF (packaged leaf controllers then link dynamically)")

  # fetch(NAME SHA256): NAME into ${dl}, from CTL_CJSON_SOURCE_DIR or the
  # pool, checked against SHA256.
  function(fetch name sha256)
    set(to "${dl}/${name}")
    if(EXISTS "${to}")
      file(SHA256 "${to}" have)
      if(have STREQUAL sha256)
        return()
      endif()
      file(REMOVE "${to}")
    endif()
    if(CTL_CJSON_SOURCE_DIR)
      if(NOT EXISTS "${CTL_CJSON_SOURCE_DIR}/${name}")
        message(FATAL_ERROR "ctl_cjson_static: ${CTL_CJSON_SOURCE_DIR}/${name} not found; ${help}")
      endif()
      file(COPY_FILE "${CTL_CJSON_SOURCE_DIR}/${name}" "${to}")
    else()
      file(DOWNLOAD "${CTL_CJSON_POOL}/${name}" "${to}" STATUS status TIMEOUT 120 INACTIVITY_TIMEOUT 30)
      list(GET status 0 code)
      if(NOT code EQUAL 0)
        list(GET status 1 why)
        file(REMOVE "${to}")
        message(FATAL_ERROR "ctl_cjson_static: cannot download ${CTL_CJSON_POOL}/${name} (${why}); ${help}")
      endif()
    endif()
    file(SHA256 "${to}" have)
    if(NOT have STREQUAL sha256)
      file(REMOVE "${to}")
      message(FATAL_ERROR "ctl_cjson_static: ${name} has SHA-256 ${have}, but ${sha256} was expected: "
                          "not Debian's ${CTL_CJSON_DEBIAN_VERSION}; ${help}")
    endif()
  endfunction()

  fetch("${dsc}" ${CTL_CJSON_DSC_SHA256})
  # The tarballs the .dsc lists under Checksums-Sha256 (" HASH SIZE NAME").
  file(STRINGS "${dl}/${dsc}" lines REGEX "^ [0-9a-f]+ [0-9]+ cjson_[^ ]+\\.tar\\.[a-z]+$")
  set(tarballs "")
  foreach(line ${lines})
    # SHA-1 and MD5 lines have the same shape: a SHA-256 has 64 digits.
    if(line MATCHES "^ ([0-9a-f]+) [0-9]+ ([^ ]+)$")
      set(name "${CMAKE_MATCH_2}")
      set(sum "${CMAKE_MATCH_1}")
      string(LENGTH "${sum}" n)
      if(n EQUAL 64)
        fetch("${name}" ${sum})
        list(APPEND tarballs "${name}")
      endif()
    endif()
  endforeach()
  set(orig "cjson_${CTL_CJSON_VERSION}.orig.tar.gz")
  set(deb "cjson_${CTL_CJSON_DEBIAN_VERSION}.debian.tar.xz")
  if(NOT orig IN_LIST tarballs OR NOT deb IN_LIST tarballs)
    message(FATAL_ERROR "ctl_cjson_static: ${dsc} does not list ${orig} and ${deb} with SHA-256 sums")
  endif()

  # Unpacked and patched afresh: the upstream tree, debian/ over it, then
  # debian/patches/series in order (format 3.0 (quilt): -p1 each).
  set(src "${CTL_CJSON_OUT}/src")
  file(REMOVE_RECURSE "${src}" "${CTL_CJSON_OUT}/unpack")
  file(ARCHIVE_EXTRACT INPUT "${dl}/${orig}" DESTINATION "${CTL_CJSON_OUT}/unpack")
  file(GLOB top LIST_DIRECTORIES true "${CTL_CJSON_OUT}/unpack/*")
  list(LENGTH top n)
  if(NOT n EQUAL 1 OR NOT IS_DIRECTORY "${top}")
    message(FATAL_ERROR "ctl_cjson_static: ${orig} does not hold one folder")
  endif()
  file(RENAME "${top}" "${src}")
  file(REMOVE_RECURSE "${CTL_CJSON_OUT}/unpack")
  file(ARCHIVE_EXTRACT INPUT "${dl}/${deb}" DESTINATION "${src}")
  find_program(CTL_PATCH NAMES patch)
  if(NOT CTL_PATCH)
    message(FATAL_ERROR "ctl_cjson_static: the patch program is needed to apply Debian's patches "
                        "(Debian: apt-get install patch)")
  endif()
  set(series "${src}/debian/patches/series")
  set(patches "")
  if(EXISTS "${series}")
    file(STRINGS "${series}" patches REGEX "^[^#]")
  endif()
  foreach(p ${patches})
    string(STRIP "${p}" p)
    execute_process(COMMAND "${CTL_PATCH}" -p1 --batch --forward --quiet -i "debian/patches/${p}"
                    WORKING_DIRECTORY "${src}" RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
    if(NOT rc EQUAL 0)
      message(FATAL_ERROR "ctl_cjson_static: Debian's patch ${p} does not apply:\n${out}")
    endif()
  endforeach()

  # The library is used with the installed headers: the same version.
  if(CTL_CJSON_HEADER)
    foreach(h "${src}/cJSON.h" "${CTL_CJSON_HEADER}")
      file(STRINGS "${h}" v REGEX "^#define CJSON_VERSION_(MAJOR|MINOR|PATCH) ")
      string(REGEX REPLACE "#define CJSON_VERSION_[A-Z]+ +" "" v "${v}")
      string(JOIN "." v ${v})
      list(APPEND versions "${v}")
    endforeach()
    list(GET versions 0 built)
    list(GET versions 1 installed)
    if(NOT built STREQUAL installed)
      message(FATAL_ERROR "ctl_cjson_static: the installed ${CTL_CJSON_HEADER} is cJSON ${installed}, but "
                          "this builds ${built} (Debian's ${CTL_CJSON_DEBIAN_VERSION}): update "
                          "cmake/CtlCjsonStatic.cmake's version and hash, or configure with -DCTL_STATIC_LEAF=OFF")
    endif()
  endif()
  list(LENGTH patches np)
  message(STATUS "cJSON ${CTL_CJSON_DEBIAN_VERSION}: ${np} Debian patches applied in ${src}")
  return()
endif()

function(ctl_cjson_static)
  set(out ${CMAKE_CURRENT_BINARY_DIR}/cjson-static)
  set(CTL_CJSON_SOURCE_DIR "" CACHE PATH
      "A folder holding Debian's source package of cjson (else it comes from deb.debian.org)")
  get_target_property(incs cjson INTERFACE_INCLUDE_DIRECTORIES)
  set(header "")
  foreach(dir ${incs})
    if(NOT header AND EXISTS "${dir}/cjson/cJSON.h")
      set(header "${dir}/cjson/cJSON.h")
    endif()
  endforeach()
  add_custom_command(OUTPUT ${out}/src/cJSON.c ${out}/src/cJSON.h
    COMMAND ${CMAKE_COMMAND} -DCTL_CJSON_OUT=${out} -DCTL_CJSON_SOURCE_DIR=${CTL_CJSON_SOURCE_DIR}
            -DCTL_CJSON_HEADER=${header} -P ${CMAKE_CURRENT_FUNCTION_LIST_FILE}
    DEPENDS ${CMAKE_CURRENT_FUNCTION_LIST_FILE}
    COMMENT "cJSON ${CTL_CJSON_DEBIAN_VERSION} from Debian's source package, patched"
    VERBATIM)
  add_library(ctl_cjson_static STATIC ${out}/src/cJSON.c)
  # cJSON's own code, compiled as Debian compiles it (its warnings are not
  # ours to fix); position-independent, so that -static-pie links it too.
  target_compile_options(ctl_cjson_static PRIVATE -w)
  set_target_properties(ctl_cjson_static PROPERTIES POSITION_INDEPENDENT_CODE ON
                        OUTPUT_NAME ctl_cjson EXPORT_NAME cjson_static)
  # The headers are the installed libcjson-dev's (the script checks that
  # they are the same version).
  target_include_directories(ctl_cjson_static INTERFACE $<TARGET_PROPERTY:cjson,INTERFACE_INCLUDE_DIRECTORIES>)
  add_library(ctl::cjson_static ALIAS ctl_cjson_static)
  install(TARGETS ctl_cjson_static EXPORT ctlTargets ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR})
  install(FILES ${out}/src/LICENSE DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/ctl RENAME cJSON.LICENSE)
endfunction()
