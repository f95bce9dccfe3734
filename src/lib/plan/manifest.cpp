// SPDX-License-Identifier: Apache-2.0
#include "cxrcat/plan/manifest.hpp"

#include <nlohmann/json.hpp>

#include <fstream>
#include <sstream>

namespace cxrcat {

namespace {

using nlohmann::json;

std::optional<std::vector<std::string>> string_list(const json& entry, const char* key, const std::string& pointer,
                                                    std::vector<std::string>& problems) {
    if (!entry.contains(key)) {
        return std::vector<std::string>{};
    }
    const json& value = entry[key];
    if (!value.is_array() || !std::all_of(value.begin(), value.end(), [](const json& v) { return v.is_string(); })) {
        problems.push_back(pointer + "/" + key + ": expected an array of strings");
        return std::nullopt;
    }
    return value.get<std::vector<std::string>>();
}

// The entry's files_from, where, sample and seed, as the flags of the same names.
void read_selection(const json& entry, const std::string& pointer, Selection& selection,
                    std::vector<std::string>& problems) {
    if (entry.contains("files_from")) {
        if (auto paths = string_list(entry, "files_from", pointer, problems)) {
            selection.files_from = *paths;
        }
    }
    if (entry.contains("where")) {
        const json& where = entry["where"];
        if (!where.is_object()) {
            problems.push_back(pointer + "/where: expected an object of FIELD: VALUE or FIELD: [VALUES]");
        } else {
            for (const auto& [field, value] : where.items()) {
                if (value.is_string()) {
                    selection.where[field].push_back(value.get<std::string>());
                } else if (auto values = string_list(where, field.c_str(), pointer + "/where", problems)) {
                    selection.where[field] = *values;
                }
            }
        }
    }
    for (const char* key : {"sample", "seed"}) {
        if (!entry.contains(key)) {
            continue;
        }
        const json& value = entry[key];
        if (!value.is_number_unsigned() || (std::string_view(key) == "sample" && value.get<std::uint64_t>() == 0)) {
            problems.push_back(pointer + "/" + key + ": expected a positive integer");
        } else if (std::string_view(key) == "sample") {
            selection.sample = value.get<std::size_t>();
        } else {
            selection.seed = value.get<std::uint64_t>();
        }
    }
}

} // namespace

std::filesystem::path Manifest::lock_path() const {
    return path.parent_path() / "cxrcat.lock";
}

Result<Manifest> read_manifest(const std::filesystem::path& path) {
    std::ifstream stream(path);
    if (!stream) {
        return Error(ErrorCode::not_found, "cannot read the manifest " + path.string(),
                     {R"(create it, e.g. {"datasets": [{"id": "montgomery"}]}, or pass --manifest FILE)"});
    }
    std::stringstream content;
    content << stream.rdbuf();
    return parse_manifest(content.str(), path);
}

Result<Manifest> parse_manifest(std::string_view text, const std::filesystem::path& path) {
    json document;
    try {
        document = json::parse(text);
    } catch (const json::parse_error& error) {
        return Error(ErrorCode::invalid_catalog, path.string() + ": /: JSON syntax error: " + error.what());
    } catch (const json::exception& error) {
        // Valid syntax that nlohmann cannot hold, e.g. a number too large for a double.
        return Error(ErrorCode::invalid_catalog, path.string() + ": /: JSON error: " + error.what());
    }
    std::vector<std::string> problems;
    Manifest manifest;
    manifest.path = std::filesystem::absolute(path);
    if (!document.is_object() || !document.contains("datasets") || !document["datasets"].is_array()) {
        problems.emplace_back("/datasets: expected an array of {\"id\": ...} objects");
    } else {
        const json& list = document["datasets"];
        for (std::size_t i = 0; i < list.size(); ++i) {
            std::string pointer = "/datasets/" + std::to_string(i);
            const json& entry = list[i];
            if (!entry.is_object() || !entry.contains("id") || !entry["id"].is_string() ||
                entry["id"].get<std::string>().empty()) {
                problems.push_back(pointer + "/id: required, a dataset id or alias");
                continue;
            }
            ManifestEntry parsed;
            parsed.id = entry["id"].get<std::string>();
            auto include = string_list(entry, "include", pointer, problems);
            auto exclude = string_list(entry, "exclude", pointer, problems);
            if (include) {
                parsed.include = *include;
            }
            if (exclude) {
                parsed.exclude = *exclude;
            }
            read_selection(entry, pointer, parsed.selection, problems);
            if (entry.contains("extract")) {
                if (!entry["extract"].is_boolean()) {
                    problems.push_back(pointer + "/extract: expected a boolean");
                } else {
                    parsed.extract = entry["extract"].get<bool>();
                }
            }
            manifest.datasets.push_back(std::move(parsed));
        }
    }
    if (!problems.empty()) {
        Error error(ErrorCode::invalid_catalog, "the manifest " + path.string() + " is invalid");
        for (const auto& problem : problems) {
            error.note(path.string() + ": " + problem);
        }
        return error;
    }
    return manifest;
}

} // namespace cxrcat
