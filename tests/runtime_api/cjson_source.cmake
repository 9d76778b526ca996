# cjson_source.cmake: CtlCjsonStatic.cmake's script refuses a source package
# it cannot check, naming the file and the way out, without the network:
#   1. a CTL_CJSON_SOURCE_DIR without the package's .dsc;
#   2. one whose orig tarball is not the one the .dsc's SHA-256 names.
# -DDOWNLOADED=<the build's cjson-static/download, with the real files>
# -DSCRIPT=<cmake/CtlCjsonStatic.cmake> -DOUT=<a scratch folder>
file(REMOVE_RECURSE "${OUT}")
file(MAKE_DIRECTORY "${OUT}/empty" "${OUT}/tampered")

# run(SOURCE_DIR EXPECTED): the script fails, and says EXPECTED.
function(run dir expected)
  execute_process(COMMAND ${CMAKE_COMMAND} -DCTL_CJSON_OUT=${OUT}/out-${dir} -DCTL_CJSON_SOURCE_DIR=${OUT}/${dir}
                          -P ${SCRIPT}
                  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
  string(REGEX REPLACE "[ \n]+" " " flat "${out}")
  if(rc EQUAL 0 OR NOT flat MATCHES "${expected}")
    message(FATAL_ERROR "${dir}: expected a failure saying '${expected}', got (${rc}):\n${out}")
  endif()
  message(STATUS "${dir}: refused as expected")
endfunction()

run(empty "empty/cjson_1\\.7\\.15-1\\+deb12u4\\.dsc not found; give CTL_CJSON_SOURCE_DIR a folder holding Debian's source package of cjson 1\\.7\\.15-1\\+deb12u4")

file(GLOB real "${DOWNLOADED}/*")
foreach(f ${real})
  get_filename_component(name "${f}" NAME)
  if(name MATCHES "\\.orig\\.tar\\.gz$")
    file(WRITE "${OUT}/tampered/${name}" "not cJSON\n")
    set(orig "${name}")
  else()
    file(COPY_FILE "${f}" "${OUT}/tampered/${name}")
  endif()
endforeach()
if(NOT orig)
  message(FATAL_ERROR "no orig tarball in ${DOWNLOADED}")
endif()
run(tampered "${orig} has SHA-256 [0-9a-f]+, but 5308fd4bd90cef7aa060558514de6a1a4a0819974a26e6ed13973c5f624c24b2 was expected: not Debian's 1\\.7\\.15-1\\+deb12u4")
