# SPDX-License-Identifier: Apache-2.0
# libcurl, libcrypto and libarchive are opened on first use (src/lib/shared_library.hpp), not linked:
# loading them and their ~35 dependencies was most of `cxrcat list`'s start-up. The build still finds
# them with find_package; this file turns each found library into what the run-time loader needs, its
# soname, and what a package needs, the Debian package that provides the file.

# cxrcat_library_soname(<imported target> <soname var> <package var>)
function(cxrcat_library_soname target soname_var package_var)
  get_target_property(location ${target} LOCATION)
  if(NOT location)
    message(FATAL_ERROR "${target}: no library file to read the soname from")
  endif()
  file(REAL_PATH "${location}" real_file)
  execute_process(COMMAND "${CMAKE_OBJDUMP}" -p "${real_file}" OUTPUT_VARIABLE headers RESULT_VARIABLE failed)
  if(failed OR NOT headers MATCHES "SONAME +([^\n ]+)")
    message(FATAL_ERROR "${target}: cannot read the soname of ${real_file} with '${CMAKE_OBJDUMP} -p'")
  endif()
  set(${soname_var} "${CMAKE_MATCH_1}" PARENT_SCOPE)
  # dpkg-query answers "libcurl4:amd64: /usr/lib/.../libcurl.so.4.8.0"; off Debian there is no answer.
  set(package "")
  execute_process(COMMAND dpkg-query -S "${real_file}" OUTPUT_VARIABLE owner ERROR_QUIET RESULT_VARIABLE failed)
  if(NOT failed AND owner MATCHES "^([^:, ]+)")
    set(package "${CMAKE_MATCH_1}")
  endif()
  set(${package_var} "${package}" PARENT_SCOPE)
endfunction()

cxrcat_library_soname(CURL::libcurl CXRCAT_LIBCURL_SONAME CXRCAT_LIBCURL_PACKAGE)
cxrcat_library_soname(OpenSSL::Crypto CXRCAT_LIBCRYPTO_SONAME CXRCAT_LIBCRYPTO_PACKAGE)
cxrcat_library_soname(LibArchive::LibArchive CXRCAT_LIBARCHIVE_SONAME CXRCAT_LIBARCHIVE_PACKAGE)
message(STATUS "Opened on first use: ${CXRCAT_LIBCURL_SONAME} (${CXRCAT_LIBCURL_PACKAGE}), "
               "${CXRCAT_LIBCRYPTO_SONAME} (${CXRCAT_LIBCRYPTO_PACKAGE}), "
               "${CXRCAT_LIBARCHIVE_SONAME} (${CXRCAT_LIBARCHIVE_PACKAGE})")

# cxrcat_use_on_demand_libraries(<target>): the three libraries' headers and the sonames, but no link.
function(cxrcat_use_on_demand_libraries target)
  foreach(library CURL::libcurl OpenSSL::Crypto LibArchive::LibArchive)
    target_include_directories(${target} SYSTEM PRIVATE $<TARGET_PROPERTY:${library},INTERFACE_INCLUDE_DIRECTORIES>)
  endforeach()
  target_compile_definitions(${target} PRIVATE
    CXRCAT_LIBCURL_SONAME="${CXRCAT_LIBCURL_SONAME}" CXRCAT_LIBCURL_PACKAGE="${CXRCAT_LIBCURL_PACKAGE}"
    CXRCAT_LIBCRYPTO_SONAME="${CXRCAT_LIBCRYPTO_SONAME}" CXRCAT_LIBCRYPTO_PACKAGE="${CXRCAT_LIBCRYPTO_PACKAGE}"
    CXRCAT_LIBARCHIVE_SONAME="${CXRCAT_LIBARCHIVE_SONAME}" CXRCAT_LIBARCHIVE_PACKAGE="${CXRCAT_LIBARCHIVE_PACKAGE}")
  target_link_libraries(${target} PUBLIC ${CMAKE_DL_LIBS})
endfunction()
