# SPDX-License-Identifier: Apache-2.0
# libcurl, libcrypto and libarchive are opened on first use (src/lib/shared_library.hpp), not linked:
# loading them and their ~35 dependencies was most of `cxrcat list`'s start-up. The build still finds
# them with find_package; this file turns each found library into what the run-time loader needs, its
# soname, and what a package needs, the Debian package that provides the file.

# cxrcat_file_soname(<library file> <soname var> <package var>)
function(cxrcat_file_soname location soname_var package_var)
  file(REAL_PATH "${location}" real_file)
  execute_process(COMMAND "${CMAKE_OBJDUMP}" -p "${real_file}" OUTPUT_VARIABLE headers RESULT_VARIABLE failed)
  if(failed OR NOT headers MATCHES "SONAME +([^\n ]+)")
    message(FATAL_ERROR "${location}: cannot read the soname of ${real_file} with '${CMAKE_OBJDUMP} -p'")
  endif()
  set(${soname_var} "${CMAKE_MATCH_1}" PARENT_SCOPE)
  # dpkg-query answers "libcurl4:amd64: /usr/lib/.../libcurl.so.4.8.0"; off Debian there is no answer.
  set(package "")
  # With merged /usr, dpkg may know the file under /lib rather than /usr/lib (zlib1g does).
  string(REGEX REPLACE "^/usr/" "/" unmerged_file "${real_file}")
  foreach(candidate IN ITEMS "${real_file}" "${unmerged_file}")
    execute_process(COMMAND dpkg-query -S "${candidate}" OUTPUT_VARIABLE owner ERROR_QUIET RESULT_VARIABLE failed)
    if(NOT package AND NOT failed AND owner MATCHES "^([^:, ]+)")
      set(package "${CMAKE_MATCH_1}")
    endif()
  endforeach()
  set(${package_var} "${package}" PARENT_SCOPE)
endfunction()

# cxrcat_library_soname(<imported target> <soname var> <package var>)
function(cxrcat_library_soname target soname_var package_var)
  get_target_property(location ${target} LOCATION)
  if(NOT location)
    message(FATAL_ERROR "${target}: no library file to read the soname from")
  endif()
  cxrcat_file_soname("${location}" soname package)
  set(${soname_var} "${soname}" PARENT_SCOPE)
  set(${package_var} "${package}" PARENT_SCOPE)
endfunction()

cxrcat_library_soname(CURL::libcurl CXRCAT_LIBCURL_SONAME CXRCAT_LIBCURL_PACKAGE)
cxrcat_library_soname(OpenSSL::Crypto CXRCAT_LIBCRYPTO_SONAME CXRCAT_LIBCRYPTO_PACKAGE)
cxrcat_library_soname(LibArchive::LibArchive CXRCAT_LIBARCHIVE_SONAME CXRCAT_LIBARCHIVE_PACKAGE)
cxrcat_library_soname(ZLIB::ZLIB CXRCAT_ZLIB_SONAME CXRCAT_ZLIB_PACKAGE)
# pkg-config targets carry no LOCATION: the first full path pkg-config gives is the library.
list(GET SPNG_LINK_LIBRARIES 0 cxrcat_spng_file)
list(GET TURBOJPEG_LINK_LIBRARIES 0 cxrcat_turbojpeg_file)
cxrcat_file_soname("${cxrcat_spng_file}" CXRCAT_LIBSPNG_SONAME CXRCAT_LIBSPNG_PACKAGE)
cxrcat_file_soname("${cxrcat_turbojpeg_file}" CXRCAT_LIBTURBOJPEG_SONAME CXRCAT_LIBTURBOJPEG_PACKAGE)
# GDCM is linked into the DICOM module only; its package is what the module needs at run time.
cxrcat_library_soname(gdcmMSFF CXRCAT_GDCM_SONAME CXRCAT_GDCM_PACKAGE)
message(STATUS "Opened on first use: ${CXRCAT_LIBCURL_SONAME} (${CXRCAT_LIBCURL_PACKAGE}), "
               "${CXRCAT_LIBCRYPTO_SONAME} (${CXRCAT_LIBCRYPTO_PACKAGE}), "
               "${CXRCAT_LIBARCHIVE_SONAME} (${CXRCAT_LIBARCHIVE_PACKAGE}), "
               "${CXRCAT_ZLIB_SONAME} (${CXRCAT_ZLIB_PACKAGE}), ${CXRCAT_LIBSPNG_SONAME} (${CXRCAT_LIBSPNG_PACKAGE}), "
               "${CXRCAT_LIBTURBOJPEG_SONAME} (${CXRCAT_LIBTURBOJPEG_PACKAGE}), "
               "the DICOM module with ${CXRCAT_GDCM_SONAME} (${CXRCAT_GDCM_PACKAGE})")

# cxrcat_use_on_demand_libraries(<target>): the three libraries' headers and the sonames, but no link.
function(cxrcat_use_on_demand_libraries target)
  foreach(library CURL::libcurl OpenSSL::Crypto LibArchive::LibArchive ZLIB::ZLIB PkgConfig::SPNG PkgConfig::TURBOJPEG)
    target_include_directories(${target} SYSTEM PRIVATE $<TARGET_PROPERTY:${library},INTERFACE_INCLUDE_DIRECTORIES>)
  endforeach()
  target_compile_definitions(${target} PRIVATE
    CXRCAT_LIBCURL_SONAME="${CXRCAT_LIBCURL_SONAME}" CXRCAT_LIBCURL_PACKAGE="${CXRCAT_LIBCURL_PACKAGE}"
    CXRCAT_LIBCRYPTO_SONAME="${CXRCAT_LIBCRYPTO_SONAME}" CXRCAT_LIBCRYPTO_PACKAGE="${CXRCAT_LIBCRYPTO_PACKAGE}"
    CXRCAT_LIBARCHIVE_SONAME="${CXRCAT_LIBARCHIVE_SONAME}" CXRCAT_LIBARCHIVE_PACKAGE="${CXRCAT_LIBARCHIVE_PACKAGE}"
    CXRCAT_ZLIB_SONAME="${CXRCAT_ZLIB_SONAME}" CXRCAT_ZLIB_PACKAGE="${CXRCAT_ZLIB_PACKAGE}"
    CXRCAT_LIBSPNG_SONAME="${CXRCAT_LIBSPNG_SONAME}" CXRCAT_LIBSPNG_PACKAGE="${CXRCAT_LIBSPNG_PACKAGE}"
    CXRCAT_LIBTURBOJPEG_SONAME="${CXRCAT_LIBTURBOJPEG_SONAME}"
    CXRCAT_LIBTURBOJPEG_PACKAGE="${CXRCAT_LIBTURBOJPEG_PACKAGE}"
    CXRCAT_GDCM_PACKAGE="${CXRCAT_GDCM_PACKAGE}")
  target_link_libraries(${target} PUBLIC ${CMAKE_DL_LIBS})
endfunction()
