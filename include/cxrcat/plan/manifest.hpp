// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "cxrcat/base/result.hpp"
#include "cxrcat/plan/selection.hpp"

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cxrcat {

// One dataset a project needs, as listed in its cxrcat.json.
struct ManifestEntry {
    std::string id;
    std::vector<std::string> include; // globs, as fetch --include
    std::vector<std::string> exclude;
    std::optional<bool> extract; // default: as the catalog says
    // "files_from" (an array of paths), "where" ({"FIELD": "VALUE" or ["V1", "V2"]}), "sample", "seed".
    Selection selection;
};

// A project's cxrcat.json: {"datasets": [{"id": "montgomery"}, {"id": "luna16", "include": [...]}]}.
struct Manifest {
    std::filesystem::path path;
    std::vector<ManifestEntry> datasets;

    // cxrcat.lock beside the manifest.
    [[nodiscard]] std::filesystem::path lock_path() const;
};

// Reads and checks a manifest; problems are invalid_catalog errors naming file, pointer and problem.
[[nodiscard]] Result<Manifest> read_manifest(const std::filesystem::path& path);

// Checks the text of a manifest as read from path (named in errors; the lock file goes beside it).
[[nodiscard]] Result<Manifest> parse_manifest(std::string_view text, const std::filesystem::path& path);

} // namespace cxrcat
