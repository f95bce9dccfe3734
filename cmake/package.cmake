# SPDX-License-Identifier: Apache-2.0
# `cpack -G DEB` from a build tree: a Debian package of everything `cmake --install` installs, under /usr.
# Depends is computed by dpkg-shlibdeps from the binary's real shared-library needs (dpkg-dev).
set(CPACK_PACKAGE_NAME cxrcat)
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "catalog and fetcher of public chest X-ray and chest CT datasets")
set(CPACK_PACKAGE_DESCRIPTION
    "cxrcat tells you what each public chest imaging dataset contains, under which licence and how to get\n"
    "access, then downloads, verifies and installs it. Also contains the static library cxrcat_core with\n"
    "its headers, CMake package (cxrcat::core) and pkg-config file.")
set(CPACK_RESOURCE_FILE_LICENSE "${PROJECT_SOURCE_DIR}/LICENSE")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "cxrcat maintainers")
set(CPACK_DEBIAN_PACKAGE_SECTION science)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# dpkg-shlibdeps cannot see the libraries cxrcat opens on first use (cmake/on_demand_libraries.cmake):
# their packages are named here, and shlibdeps' findings are appended.
set(cxrcat_opened_packages "")
foreach(package IN ITEMS "${CXRCAT_LIBCURL_PACKAGE}" "${CXRCAT_LIBCRYPTO_PACKAGE}" "${CXRCAT_LIBARCHIVE_PACKAGE}"
                        "${CXRCAT_ZLIB_PACKAGE}" "${CXRCAT_LIBSPNG_PACKAGE}" "${CXRCAT_LIBTURBOJPEG_PACKAGE}"
                        "${CXRCAT_GDCM_PACKAGE}")
  if(package)
    list(APPEND cxrcat_opened_packages "${package}")
  endif()
endforeach()
list(REMOVE_DUPLICATES cxrcat_opened_packages)
string(REPLACE ";" ", " CPACK_DEBIAN_PACKAGE_DEPENDS "${cxrcat_opened_packages}")
# HTTPS needs the system CA certificates at run time; dpkg-shlibdeps cannot see that.
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "ca-certificates")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "bash-completion")
set(CPACK_GENERATOR DEB)
include(CPack)
