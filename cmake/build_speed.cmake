# SPDX-License-Identifier: Apache-2.0
# Build speed: ccache when it is installed (scripts/install-deps installs it), and precompiled
# headers for the heavy third-party headers every translation unit of a target pulls in.
find_program(CXRCAT_CCACHE ccache)
if(CXRCAT_CCACHE AND NOT CMAKE_CXX_COMPILER_LAUNCHER)
  set(CMAKE_CXX_COMPILER_LAUNCHER "${CXRCAT_CCACHE}")
endif()

option(CXRCAT_PCH "Precompile the heavy third-party headers" ON)

# cxrcat_use_pch(TARGET HEADER...) precompiles the given headers for TARGET when CXRCAT_PCH is on.
function(cxrcat_use_pch target)
  if(CXRCAT_PCH)
    target_precompile_headers(${target} PRIVATE ${ARGN})
  endif()
endfunction()
