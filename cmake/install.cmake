# SPDX-License-Identifier: Apache-2.0
# What `cmake --install` puts where: the executable, the static core library with its public headers,
# a CMake package (find_package(cxrcat) -> cxrcat::core), a pkg-config file, the licence and schemas,
# the man page and the bash, zsh and fish completions.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

install(TARGETS cxrcat RUNTIME DESTINATION "${CMAKE_INSTALL_BINDIR}")
install(TARGETS cxrcat_dicom LIBRARY DESTINATION "${CXRCAT_DICOM_MODULE_DIR}")
install(TARGETS cxrcat_core EXPORT cxrcatTargets
        ARCHIVE DESTINATION "${CMAKE_INSTALL_LIBDIR}"
        INCLUDES DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}")
# Only the public headers: include/cxrcat/*.hpp (src/lib's private headers stay private).
install(DIRECTORY "${PROJECT_SOURCE_DIR}/include/cxrcat" DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}"
        FILES_MATCHING PATTERN "*.hpp")

set(cxrcat_cmake_dir "${CMAKE_INSTALL_LIBDIR}/cmake/cxrcat")
install(EXPORT cxrcatTargets NAMESPACE cxrcat:: DESTINATION "${cxrcat_cmake_dir}")
configure_package_config_file("${PROJECT_SOURCE_DIR}/cmake/cxrcatConfig.cmake.in"
                              "${PROJECT_BINARY_DIR}/cxrcatConfig.cmake" INSTALL_DESTINATION "${cxrcat_cmake_dir}")
write_basic_package_version_file("${PROJECT_BINARY_DIR}/cxrcatConfigVersion.cmake"
                                 COMPATIBILITY SameMajorVersion)
install(FILES "${PROJECT_BINARY_DIR}/cxrcatConfig.cmake" "${PROJECT_BINARY_DIR}/cxrcatConfigVersion.cmake"
        DESTINATION "${cxrcat_cmake_dir}")

# pkg-config: the library is static, so its dependencies are in Requires (not Requires.private);
# libcurl, libcrypto and libarchive are opened at run time (dlopen, hence -ldl), not linked. The
# prefix is found from the .pc file's own place, so the install can be moved (--prefix, DESTDIR, a .deb).
file(RELATIVE_PATH CXRCAT_PC_PREFIX_FROM_PCDIR "/${CMAKE_INSTALL_LIBDIR}/pkgconfig" "/")
string(REGEX REPLACE "/$" "" CXRCAT_PC_PREFIX_FROM_PCDIR "${CXRCAT_PC_PREFIX_FROM_PCDIR}")
set(CXRCAT_PC_EXTRA_LIBS "")
if(CXRCAT_SANITIZE)
  set(CXRCAT_PC_EXTRA_LIBS "-fsanitize=address,undefined")
endif()
configure_file("${PROJECT_SOURCE_DIR}/cmake/cxrcat.pc.in" "${PROJECT_BINARY_DIR}/cxrcat.pc" @ONLY)
install(FILES "${PROJECT_BINARY_DIR}/cxrcat.pc" DESTINATION "${CMAKE_INSTALL_LIBDIR}/pkgconfig")

# The licence (Debian looks for it as copyright) and the JSON Schemas of every --format json output.
install(FILES "${PROJECT_SOURCE_DIR}/LICENSE" DESTINATION "${CMAKE_INSTALL_DOCDIR}")
install(FILES "${PROJECT_SOURCE_DIR}/LICENSE" DESTINATION "${CMAKE_INSTALL_DOCDIR}" RENAME copyright)
install(DIRECTORY "${PROJECT_SOURCE_DIR}/schemas/" DESTINATION "${CMAKE_INSTALL_DOCDIR}/schemas"
        FILES_MATCHING PATTERN "*.schema.json")

include("${PROJECT_SOURCE_DIR}/cmake/generated_docs.cmake")
