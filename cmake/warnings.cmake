# SPDX-License-Identifier: Apache-2.0
# Warning flags shared by every cxrcat target.
add_library(cxrcat_warnings INTERFACE)
target_compile_options(cxrcat_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wsign-conversion -Wnon-virtual-dtor
  -Wold-style-cast -Wcast-align -Woverloaded-virtual -Wnull-dereference -Wformat=2
  -Wimplicit-fallthrough)
if(CXRCAT_WARNINGS_AS_ERRORS)
  target_compile_options(cxrcat_warnings INTERFACE -Werror)
endif()
