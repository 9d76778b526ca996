# FindcJSON.cmake: cJSON for libctl, in this build and in the builds of
# projects that use the installed ctl package (ctlConfig.cmake finds it here).
#
# Provides the imported target `cjson`, the name cJSON's own CMake package
# exports, so that libctl's exported link interface names one target whichever
# way cJSON was found:
#   1. a `cjson` target that already exists (cJSON built in the same project);
#   2. cJSON's CMake package (cJSONConfig.cmake; Debian's libcjson-dev has it);
#   3. otherwise cjson/cJSON.h and libcjson found by hand
#      (CJSON_INCLUDE_DIR and CJSON_LIBRARY may be set to point at them).
# Sets cJSON_FOUND.

if(TARGET cjson)
  set(cJSON_FOUND TRUE)
  return()
endif()

find_package(cJSON CONFIG QUIET)
if(TARGET cjson)
  # cJSON's package sets CJSON_LIBRARY to the target name; leave the cache alone.
  set(cJSON_FOUND TRUE)
  if(NOT cJSON_FIND_QUIETLY)
    message(STATUS "Found cJSON: ${cJSON_DIR} (found version \"${cJSON_VERSION}\")")
  endif()
  return()
endif()

find_path(CJSON_INCLUDE_DIR cjson/cJSON.h)
find_library(CJSON_LIBRARY cjson)
mark_as_advanced(CJSON_INCLUDE_DIR CJSON_LIBRARY)

include(FindPackageHandleStandardArgs)
find_package_handle_standard_args(cJSON REQUIRED_VARS CJSON_LIBRARY CJSON_INCLUDE_DIR)

if(cJSON_FOUND AND NOT TARGET cjson)
  add_library(cjson UNKNOWN IMPORTED)
  set_target_properties(cjson PROPERTIES
    IMPORTED_LOCATION "${CJSON_LIBRARY}"
    INTERFACE_INCLUDE_DIRECTORIES "${CJSON_INCLUDE_DIR}")
endif()
