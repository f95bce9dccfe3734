# SPDX-License-Identifier: Apache-2.0
# Embeds catalog/datasets/*.json into the binary as the default catalog.
# cxrcat_embed_catalog(<output.cpp>) adds a custom command that regenerates the source whenever a
# catalog file changes (CONFIGURE_DEPENDS re-globs when files are added or removed).
function(cxrcat_embed_catalog output)
  file(GLOB catalog_files CONFIGURE_DEPENDS "${PROJECT_SOURCE_DIR}/catalog/datasets/*.json")
  list(SORT catalog_files)
  add_custom_command(
    OUTPUT "${output}"
    COMMAND "${CMAKE_COMMAND}" "-DOUTPUT=${output}" "-DCATALOG_DIR=${PROJECT_SOURCE_DIR}/catalog"
            -P "${PROJECT_SOURCE_DIR}/cmake/write_embedded_catalog.cmake"
    DEPENDS ${catalog_files} "${PROJECT_SOURCE_DIR}/catalog/VERSION" "${PROJECT_SOURCE_DIR}/catalog/vocabulary.json"
            "${PROJECT_SOURCE_DIR}/cmake/write_embedded_catalog.cmake"
    COMMENT "Embedding the catalog"
    VERBATIM)
endfunction()
