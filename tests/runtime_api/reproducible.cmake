# reproducible.cmake: ctl_package_lambda's script run twice on the same
# binary, more than the zip format's 2-second time resolution apart, must
# write the same bytes (the staged copies get different times each run).
#   cmake -DCTL_PKG_EXE=... -DOUT=<folder> -DPACKAGE=<CtlPackage.cmake> -P reproducible.cmake
foreach(run a b)
  execute_process(COMMAND ${CMAKE_COMMAND} -DCTL_PKG_EXE=${CTL_PKG_EXE} -DCTL_PKG_OUTPUT=${OUT}/${run}/function.zip
                          -DCTL_PKG_GLIBC_MAX=99 -P ${PACKAGE}
                  RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "packaging run ${run} failed (${rc})")
  endif()
  if(run STREQUAL "a")
    execute_process(COMMAND ${CMAKE_COMMAND} -E sleep 2.5)
  endif()
endforeach()
execute_process(COMMAND ${CMAKE_COMMAND} -E compare_files ${OUT}/a/function.zip ${OUT}/b/function.zip
                RESULT_VARIABLE same)
if(NOT same EQUAL 0)
  message(FATAL_ERROR "two packagings of the same binary differ: ${OUT}/a/function.zip ${OUT}/b/function.zip")
endif()
message(STATUS "the two zips are identical")
