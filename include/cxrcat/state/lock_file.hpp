// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "cxrcat/base/digest.hpp"
#include "cxrcat/base/result.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <string_view>

namespace cxrcat {

// The exact bytes a project got: per file, size and digests, and where the digests came from.
struct LockedFile {
    std::uint64_t size = 0;
    std::map<DigestAlgorithm, std::string> digests;
    std::string origin; // "published in the catalog", "from the Zenodo record API", "recorded at first download", ...

    bool operator==(const LockedFile&) const = default;
};

struct LockedDataset {
    std::string entry_sha256; // SHA-256 of the catalog entry the lock was made from
    std::string terms_sha256; // the terms accepted
    nlohmann::json sources;   // provider and resolved parameters, as in the catalog entry
    // The manifest's include/exclude/extract the files were chosen with (an empty object: all files,
    // the catalog's extract); written only when not empty, so older locks read the same.
    nlohmann::json selection = nlohmann::json::object();
    std::map<std::string, LockedFile> files;

    bool operator==(const LockedDataset&) const = default;
};

// cxrcat.lock: JSON with sorted keys and one field per line, so that diffs read well.
struct LockFile {
    int format = 1;
    std::string catalog_sha256;
    std::map<std::string, LockedDataset> datasets;

    // A missing file is not an error: returns nullopt. A damaged one is (invalid_catalog).
    [[nodiscard]] static Result<std::optional<LockFile>> read(const std::filesystem::path& path);
    // The lock file text as read from path (named in errors); a damaged one is invalid_catalog.
    [[nodiscard]] static Result<LockFile> parse(std::string_view text, const std::filesystem::path& path);
    [[nodiscard]] std::string to_text() const;
    Result<void> write(const std::filesystem::path& path) const;
};

// SHA-256 of one catalog entry as loaded (its canonical JSON).
[[nodiscard]] std::string entry_digest(const nlohmann::json& raw_entry);

} // namespace cxrcat
