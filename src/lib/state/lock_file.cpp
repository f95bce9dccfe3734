// SPDX-License-Identifier: Apache-2.0
#include "cxrcat/state/lock_file.hpp"

#include "cxrcat/files/atomic_file.hpp"
#include "cxrcat/base/digest_json.hpp"

#include <fstream>
#include <sstream>

namespace cxrcat {

namespace {

using nlohmann::json;

} // namespace

std::string entry_digest(const json& raw_entry) {
    return sha256_hex(raw_entry.dump());
}

Result<std::optional<LockFile>> LockFile::read(const std::filesystem::path& path) {
    std::ifstream stream(path);
    if (!stream) {
        return std::optional<LockFile>{};
    }
    std::stringstream content;
    content << stream.rdbuf();
    auto lock = parse(content.str(), path);
    if (!lock) {
        return lock.error();
    }
    return std::optional<LockFile>(std::move(*lock));
}

Result<LockFile> LockFile::parse(std::string_view text, const std::filesystem::path& path) {
    try {
        json document = json::parse(text);
        LockFile lock;
        const json& format = document.at("format");
        if (!format.is_number_integer()) { // a float such as 6e107 has no int value (fuzz_lock_file found it)
            throw json::type_error::create(302, "format must be an integer", &format);
        }
        lock.format = format.get<int>();
        lock.catalog_sha256 = document.value("catalog_sha256", "");
        for (const auto& [id, value] : document.at("datasets").items()) {
            LockedDataset dataset;
            dataset.entry_sha256 = value.at("entry_sha256").get<std::string>();
            dataset.terms_sha256 = value.value("terms_sha256", "");
            dataset.sources = value.value("sources", json::array());
            dataset.selection = value.value("selection", json::object());
            if (!dataset.selection.is_object()) {
                // A null or an array would not be written back, and would never equal a manifest's
                // selection (always an object): the lock would read as stale for ever.
                return Error(
                    ErrorCode::invalid_catalog, path.string() + ": /datasets/" + id + "/selection: expected an object",
                    {"restore it from version control, or delete it and run 'cxrcat sync' to write a new one"});
            }
            for (const auto& [file_path, file] : value.at("files").items()) {
                LockedFile locked;
                locked.size = file.at("size").get<std::uint64_t>();
                locked.origin = file.value("origin", "");
                for (const auto& [name, hex] : file.at("digests").items()) {
                    auto algorithm = parse_digest_algorithm(name);
                    if (!algorithm || !hex.is_string() || !is_valid_hex_digest(*algorithm, hex.get<std::string>())) {
                        return Error(ErrorCode::invalid_catalog, path.string() + ": /datasets/" + id + "/files/" +
                                                                     file_path + "/digests/" + name +
                                                                     ": not a valid digest");
                    }
                    locked.digests.emplace(*algorithm, hex.get<std::string>());
                }
                dataset.files.emplace(file_path, std::move(locked));
            }
            lock.datasets.emplace(id, std::move(dataset));
        }
        return lock;
    } catch (const json::exception& error) {
        return Error(ErrorCode::invalid_catalog, path.string() + " is damaged: " + error.what(),
                     {"restore it from version control, or delete it and run 'cxrcat sync' to write a new one"});
    }
}

std::string LockFile::to_text() const {
    // nlohmann's objects are sorted maps: the key order is stable from run to run.
    json datasets_json = json::object();
    for (const auto& [id, dataset] : datasets) {
        json files_json = json::object();
        for (const auto& [path, file] : dataset.files) {
            files_json[path] = {
                {"size", file.size}, {"digests", digests_to_json(file.digests)}, {"origin", file.origin}};
        }
        datasets_json[id] = {{"entry_sha256", dataset.entry_sha256},
                             {"terms_sha256", dataset.terms_sha256},
                             {"sources", dataset.sources},
                             {"files", files_json}};
        if (!dataset.selection.empty()) {
            datasets_json[id]["selection"] = dataset.selection;
        }
    }
    json document = {{"format", format}, {"catalog_sha256", catalog_sha256}, {"datasets", datasets_json}};
    return document.dump(2) + "\n";
}

Result<void> LockFile::write(const std::filesystem::path& path) const {
    return write_file_atomically(path, to_text());
}

} // namespace cxrcat
