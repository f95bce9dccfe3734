// SPDX-License-Identifier: Apache-2.0
#include "providers/huggingface_tree.hpp"

#include "cxrcat/base/text.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>

namespace cxrcat::providers {

namespace {

std::optional<std::uint64_t> size_of(const nlohmann::json& object) {
    auto it = object.find("size");
    if (it == object.end()) {
        return std::nullopt;
    }
    if (it->is_number_unsigned()) {
        return it->get<std::uint64_t>();
    }
    if (it->is_number_integer() && it->get<std::int64_t>() >= 0) {
        return static_cast<std::uint64_t>(it->get<std::int64_t>());
    }
    return std::nullopt;
}

bool is_sha256_hex(const std::string& text) {
    return text.size() == 64 && std::all_of(text.begin(), text.end(),
                                            [](char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; });
}

Error malformed_tree_answer(const std::string& why) {
    return Error(ErrorCode::network, "unexpected answer from the Hugging Face tree API: " + why,
                 {"a proxy or a changed Hub API may be in the way; retry later"});
}

} // namespace

Result<std::vector<HubTreeFile>> parse_hub_tree_page(std::string_view body) {
    auto json = nlohmann::json::parse(body, nullptr, false);
    if (json.is_discarded() || !json.is_array()) {
        return malformed_tree_answer("not a JSON list of entries");
    }
    std::vector<HubTreeFile> files;
    for (const auto& entry : json) {
        if (!entry.is_object()) {
            return malformed_tree_answer("an entry is not an object");
        }
        // Directories and unknown types are skipped; so is a `type` that is not a string (value()
        // would throw on it).
        auto type = entry.find("type");
        if (type == entry.end() || !type->is_string() || type->get_ref<const std::string&>() != "file") {
            continue;
        }
        auto path = entry.find("path");
        if (path == entry.end() || !path->is_string() || path->get_ref<const std::string&>().empty()) {
            return malformed_tree_answer("a file entry has no path");
        }
        HubTreeFile file;
        file.path = path->get<std::string>();
        file.size = size_of(entry);
        if (auto lfs = entry.find("lfs"); lfs != entry.end() && lfs->is_object()) {
            auto oid = lfs->find("oid");
            if (oid != lfs->end() && oid->is_string() && is_sha256_hex(oid->get<std::string>())) {
                file.lfs_sha256 = to_lower(oid->get<std::string>());
            }
            if (!file.size) {
                file.size = size_of(*lfs);
            }
        }
        files.push_back(std::move(file));
    }
    return files;
}

} // namespace cxrcat::providers
