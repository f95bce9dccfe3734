// SPDX-License-Identifier: Apache-2.0
// The built-in catalog as the route test reads it: its entries and ids, and what a file or source says.
#pragma once

#include "support/files.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

namespace cxrcat::test::routes {

namespace fs = std::filesystem;
using nlohmann::json;

inline std::vector<json> builtin_entries() {
    std::vector<json> entries;
    for (const auto& file : fs::directory_iterator(fs::path(CXRCAT_SOURCE_DIR) / "catalog" / "datasets")) {
        if (file.path().extension() == ".json") {
            entries.push_back(json::parse(read_text_file(file.path())));
        }
    }
    std::sort(entries.begin(), entries.end(), [](const json& a, const json& b) {
        return a.at("id").get<std::string>() < b.at("id").get<std::string>();
    });
    return entries;
}

inline std::vector<std::string> builtin_ids() {
    std::vector<std::string> ids;
    for (const auto& entry : builtin_entries()) {
        ids.push_back(entry.at("id").get<std::string>());
    }
    return ids;
}

inline bool is_pinned(const json& file) {
    return (file.contains("size") && !file["size"].is_null()) || file.contains("md5") || file.contains("sha1") ||
           file.contains("sha256") || file.contains("sha512");
}

inline bool live(const json& source) {
    return source.value("status", "") != "withdrawn";
}

} // namespace cxrcat::test::routes
