// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "cxrcat/base/result.hpp"

#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <istream>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace cxrcat {

// Which of N disjoint shards of a dataset's selected files this process fetches (1-based).
struct ShardSpec {
    std::size_t index = 1;
    std::size_t count = 1;
    std::string origin; // how it was chosen: "--shard 2/4", "the Slurm array (SLURM_ARRAY_TASK_ID=1, ...)"

    // True when the files are split at all (count > 1).
    [[nodiscard]] bool active() const { return count > 1; }
    // "shard-2-of-4": names the shard's lock and state journal.
    [[nodiscard]] std::string tag() const;
};

// What to fetch beyond --include/--exclude: an explicit list, a metadata filter, a deterministic
// sample, and the shard of the result.
struct Selection {
    std::optional<std::vector<std::string>> files_from;    // dataset-relative paths (--files-from)
    std::map<std::string, std::vector<std::string>> where; // field -> alternatives; fields combine with AND
    std::optional<std::size_t> sample;                     // N units (files, IDC series, patients)
    std::uint64_t seed = 0;
    ShardSpec shard;

    // The selection as cxrcat.lock records it (shard excluded: every shard shares one lock).
    [[nodiscard]] nlohmann::json to_json() const;
};

// "K/N" (1-based) or "auto" (a Slurm array or a Kubernetes Indexed Job, read through getenv).
// Errors: usage, naming the accepted forms or the variables that are missing.
[[nodiscard]] Result<ShardSpec> parse_shard(const std::string& text,
                                            const std::function<std::optional<std::string>(const char*)>& getenv);

// One dataset-relative path per line; blank lines and lines starting with '#' are skipped, a
// leading "./" and trailing white space or '\r' are dropped. Errors: usage for an unsafe path.
[[nodiscard]] Result<std::vector<std::string>> parse_files_from(std::istream& input, const std::string& origin);

// Reads --files-from FILE ("-" = standard input). Errors: local_io when FILE cannot be read.
[[nodiscard]] Result<std::vector<std::string>> read_files_from(const std::string& file);

// "FIELD=VALUE" terms into field -> alternatives. Errors: usage for a term without '='.
[[nodiscard]] Result<std::map<std::string, std::vector<std::string>>>
parse_where(const std::vector<std::string>& terms);

} // namespace cxrcat
