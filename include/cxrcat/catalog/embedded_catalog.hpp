// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <span>
#include <string_view>

namespace cxrcat {

// One catalog file compiled into the binary.
struct EmbeddedFile {
    std::string_view name;    // e.g. "catalog/datasets/jsrt.json"
    std::string_view content; // the file's JSON text
};

// The built-in catalog files, sorted by name.
[[nodiscard]] std::span<const EmbeddedFile> embedded_catalog_files();
// The built-in catalog's release label (catalog/VERSION).
[[nodiscard]] std::string_view embedded_catalog_version();
// The built-in common finding vocabulary (catalog/vocabulary.json).
[[nodiscard]] std::string_view embedded_vocabulary();

} // namespace cxrcat
