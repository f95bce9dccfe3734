# SPDX-License-Identifier: Apache-2.0
# The man page and the shell completions are generated at build time by the cxrcat just built, from the
# same CLI11 definitions that print --help, so they cannot drift from it.
set(CXRCAT_ZSH_COMPLETION_DIR "${CMAKE_INSTALL_DATADIR}/zsh/vendor-completions"
    CACHE STRING "Where zsh completions are installed (Debian: share/zsh/vendor-completions)")
set(cxrcat_docs_dir "${PROJECT_BINARY_DIR}/generated")
set(cxrcat_man_page "${cxrcat_docs_dir}/man/cxrcat.1")
set(cxrcat_bash_completion "${cxrcat_docs_dir}/completions/cxrcat")
set(cxrcat_zsh_completion "${cxrcat_docs_dir}/completions/_cxrcat")
set(cxrcat_fish_completion "${cxrcat_docs_dir}/completions/cxrcat.fish")

function(cxrcat_generate output)
  cmake_parse_arguments(arg "GZIP" "" "ARGS" ${ARGN})
  get_filename_component(directory "${output}" DIRECTORY)
  file(MAKE_DIRECTORY "${directory}")
  set(outputs "${output}")
  if(arg_GZIP)
    list(APPEND outputs "${output}.gz")
  endif()
  add_custom_command(
    OUTPUT ${outputs}
    COMMAND "${CMAKE_COMMAND}" "-DPROGRAM=$<TARGET_FILE:cxrcat>" "-DARGS=${arg_ARGS}" "-DOUTPUT=${output}"
            "-DGZIP=${arg_GZIP}" -P "${PROJECT_SOURCE_DIR}/cmake/run_to_file.cmake"
    DEPENDS cxrcat "${PROJECT_SOURCE_DIR}/cmake/run_to_file.cmake"
    COMMENT "Generating ${output}"
    VERBATIM)
endfunction()

cxrcat_generate("${cxrcat_man_page}" GZIP ARGS manpage)
cxrcat_generate("${cxrcat_bash_completion}" ARGS completion bash)
cxrcat_generate("${cxrcat_zsh_completion}" ARGS completion zsh)
cxrcat_generate("${cxrcat_fish_completion}" ARGS completion fish)
add_custom_target(cxrcat_docs ALL DEPENDS "${cxrcat_man_page}" "${cxrcat_man_page}.gz" "${cxrcat_bash_completion}"
                                          "${cxrcat_zsh_completion}" "${cxrcat_fish_completion}")

install(FILES "${cxrcat_man_page}.gz" DESTINATION "${CMAKE_INSTALL_MANDIR}/man1")
install(FILES "${cxrcat_bash_completion}" DESTINATION "${CMAKE_INSTALL_DATADIR}/bash-completion/completions")
install(FILES "${cxrcat_zsh_completion}" DESTINATION "${CXRCAT_ZSH_COMPLETION_DIR}")
install(FILES "${cxrcat_fish_completion}" DESTINATION "${CMAKE_INSTALL_DATADIR}/fish/vendor_completions.d")
