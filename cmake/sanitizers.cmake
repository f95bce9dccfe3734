# SPDX-License-Identifier: Apache-2.0
# ASan + UBSan for the whole build when CXRCAT_SANITIZE is on.
if(CXRCAT_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all)
  add_link_options(-fsanitize=address,undefined)
  # The tests start the instrumented executables thousands of times. Linked as position-dependent
  # executables they need no dynamic relocation of ASan's instrumented globals at each start (55 MB
  # of .rela.dyn for cxrcat as a PIE), which halves the CPU time of every start. Libraries and the
  # DICOM module stay position-independent.
  string(APPEND CMAKE_EXE_LINKER_FLAGS " -no-pie")
endif()

# The fuzz build (preset `fuzz`, clang only): every translation unit gets libFuzzer's coverage
# instrumentation plus ASan + UBSan; only the harnesses link libFuzzer's main (tests/fuzz).
if(CXRCAT_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
    message(FATAL_ERROR "CXRCAT_FUZZ needs clang (libFuzzer); use the `fuzz` preset (scripts/fuzz)")
  endif()
  add_compile_options(-fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer
                      -fno-sanitize-recover=all)
  add_link_options(-fsanitize=address,undefined)
endif()
