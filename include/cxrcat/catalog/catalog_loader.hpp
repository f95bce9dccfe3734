// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "cxrcat/catalog/catalog.hpp"

#include <filesystem>
#include <string>
#include <vector>

namespace cxrcat {

// One problem found in a catalog file, reported as `file: /json/pointer: message`.
struct CatalogProblem {
    std::string file;
    std::string pointer;
    std::string message;

    [[nodiscard]] std::string to_string() const;
    bool operator==(const CatalogProblem&) const = default;
};

// Where to read catalogs from. User paths are `.json` files or directories of them.
struct CatalogSources {
    bool include_builtin = true;
    std::vector<std::filesystem::path> user_paths;
};

// The result of loading: the catalog plus every problem and notice, never stopping at the first.
struct LoadedCatalog {
    Catalog catalog;
    std::vector<CatalogProblem> problems;
    std::vector<std::string> notices; // e.g. "lab.json: dataset 'jsrt' replaces the built-in entry"
    std::size_t files_read = 0;

    [[nodiscard]] bool ok() const { return problems.empty(); }
};

// One catalog text to parse, named for messages.
struct CatalogText {
    std::string name;
    std::string text;
    bool builtin = false;
};

// Parses and validates texts (built-in ones first, then user ones, which replace built-in entries
// with the same id). Invalid entries are left out of the catalog and reported.
[[nodiscard]] LoadedCatalog load_catalog_texts(const std::vector<CatalogText>& texts);

// Reads the embedded catalog and the user paths, then calls load_catalog_texts. An unreadable or
// missing user path is reported as a problem naming the path.
[[nodiscard]] LoadedCatalog load_catalog(const CatalogSources& sources);

// Splits a CXRCAT_CATALOG value on ':' into paths, skipping empty parts.
[[nodiscard]] std::vector<std::filesystem::path> split_catalog_path_list(std::string_view value);

} // namespace cxrcat
