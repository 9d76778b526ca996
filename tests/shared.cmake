# shared.cmake: ctl_shared_candidates(<var> <name>) sets <var> to the places
# where material kept outside the repository (the SigV4 test suite, AWS
# SAM's template schema) may be, in order: the source tree's ../shared/<name>,
# and for a clone or worktree of a local repository, that repository's
# ../shared/<name> (so a fresh clone of /work/main in /tmp, or a worktree
# in /work/wt/x, still finds /work/shared). The tests take the first that
# exists and SKIP (77) when none does.
function(ctl_shared_candidates var name)
  set(candidates ${PROJECT_SOURCE_DIR}/../shared/${name})
  find_package(Git QUIET)
  if(GIT_FOUND)
    execute_process(COMMAND ${GIT_EXECUTABLE} -C ${PROJECT_SOURCE_DIR} remote get-url origin
                    OUTPUT_VARIABLE origin OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET RESULT_VARIABLE rc)
    string(REGEX REPLACE "^file://" "" origin "${origin}")
    if(rc EQUAL 0 AND IS_ABSOLUTE "${origin}")
      string(REGEX REPLACE "/\\.git/?$" "" origin "${origin}")
      list(APPEND candidates ${origin}/../shared/${name})
    endif()
    execute_process(COMMAND ${GIT_EXECUTABLE} -C ${PROJECT_SOURCE_DIR} rev-parse --path-format=absolute
                            --git-common-dir
                    OUTPUT_VARIABLE common OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET RESULT_VARIABLE rc)
    if(rc EQUAL 0 AND IS_ABSOLUTE "${common}")
      get_filename_component(main ${common} DIRECTORY)
      list(APPEND candidates ${main}/../shared/${name})
    endif()
  endif()
  list(REMOVE_DUPLICATES candidates)
  set(${var} ${candidates} PARENT_SCOPE)
endfunction()
