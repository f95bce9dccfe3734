// SPDX-License-Identifier: Apache-2.0
#include "cxrcat/dataset_state.hpp"

#include "cxrcat/atomic_file.hpp"
#include "cxrcat/digest_json.hpp"

#include <nlohmann/json.hpp>

#include <fstream>
#include <sstream>
#include <sys/stat.h>

namespace cxrcat {

namespace {

using nlohmann::json;

constexpr int k_state_format = 1;

struct FileStamp {
    std::uint64_t size;
    std::int64_t mtime_ns;
};

std::optional<FileStamp> stamp_of(const std::filesystem::path& path) {
    struct stat info {};
    if (::stat(path.c_str(), &info) != 0 || !S_ISREG(info.st_mode)) {
        return std::nullopt;
    }
    return FileStamp{static_cast<std::uint64_t>(info.st_size),
                     static_cast<std::int64_t>(info.st_mtim.tv_sec) * 1'000'000'000 + info.st_mtim.tv_nsec};
}


} // namespace

std::filesystem::path state_dir(const std::filesystem::path& dataset_dir) {
    return dataset_dir / ".cxrcat";
}

DatasetState DatasetState::load(const std::filesystem::path& dataset_dir) {
    DatasetState state;
    state.m_dir = dataset_dir;
    std::filesystem::path file = state_dir(dataset_dir) / "state.json";
    std::ifstream stream(file);
    if (!stream) {
        return state;
    }
    std::stringstream content;
    content << stream.rdbuf();
    json document = json::parse(content.str(), nullptr, false);
    if (document.is_discarded() || !document.is_object()) {
        state.warnings.push_back(file.string() + " is damaged; every file will be downloaded or verified again");
        return state;
    }
    try {
        // Named copies: iterating items() of a temporary would dangle.
        const json files_json = document.value("files", json::object());
        const json archives_json = document.value("archives", json::object());
        const json recorded_json = document.value("recorded_digests", json::object());
        for (const auto& [path, value] : files_json.items()) {
            InstalledFile entry;
            entry.size = value.at("size").get<std::uint64_t>();
            entry.mtime_ns = value.at("mtime_ns").get<std::int64_t>();
            entry.digests = digests_from_json(value.value("digests", json::object()));
            entry.from_archive = value.value("from_archive", "");
            entry.installed_at = value.value("installed_at", "");
            state.files.emplace(path, std::move(entry));
        }
        for (const auto& [path, value] : archives_json.items()) {
            ExtractedArchive entry;
            entry.size = value.at("size").get<std::uint64_t>();
            entry.digests = digests_from_json(value.value("digests", json::object()));
            entry.files = value.at("files").get<std::vector<std::string>>();
            entry.kept = value.value("kept", false);
            entry.extracted_at = value.value("extracted_at", "");
            state.archives.emplace(path, std::move(entry));
        }
        for (const auto& [path, value] : recorded_json.items()) {
            RecordedDigest entry{value.at("sha256").get<std::string>(), value.value("size", std::uint64_t{0}),
                                 value.value("recorded_at", "")};
            if (is_valid_hex_digest(DigestAlgorithm::sha256, entry.sha256)) {
                state.recorded.emplace(path, std::move(entry));
            }
        }
    } catch (const json::exception& error) {
        DatasetState fresh;
        fresh.m_dir = dataset_dir;
        fresh.warnings.push_back(file.string() + " is damaged (" + error.what() +
                                 "); every file will be downloaded or verified again");
        return fresh;
    }
    return state;
}

Result<void> DatasetState::save() const {
    json files_json = json::object();
    for (const auto& [path, entry] : files) {
        files_json[path] = {{"size", entry.size},
                            {"mtime_ns", entry.mtime_ns},
                            {"digests", digests_to_json(entry.digests)},
                            {"from_archive", entry.from_archive},
                            {"installed_at", entry.installed_at}};
    }
    json archives_json = json::object();
    for (const auto& [path, entry] : archives) {
        archives_json[path] = {{"size", entry.size},
                               {"digests", digests_to_json(entry.digests)},
                               {"files", entry.files},
                               {"kept", entry.kept},
                               {"extracted_at", entry.extracted_at}};
    }
    json recorded_json = json::object();
    for (const auto& [path, entry] : recorded) {
        recorded_json[path] = {{"sha256", entry.sha256}, {"size", entry.size}, {"recorded_at", entry.recorded_at}};
    }
    json document = {{"format", k_state_format},
                     {"files", files_json},
                     {"archives", archives_json},
                     {"recorded_digests", recorded_json}};
    return write_file_atomically(state_dir(m_dir) / "state.json", document.dump(1) + "\n");
}

bool DatasetState::is_intact(const std::string& path) const {
    auto it = files.find(path);
    if (it == files.end()) {
        return false;
    }
    auto stamp = stamp_of(m_dir / path);
    return stamp && stamp->size == it->second.size && stamp->mtime_ns == it->second.mtime_ns;
}

bool DatasetState::is_extracted(const std::string& archive_path) const {
    auto it = archives.find(archive_path);
    if (it == archives.end()) {
        return false;
    }
    return std::all_of(it->second.files.begin(), it->second.files.end(),
                       [this](const std::string& path) { return is_intact(path); });
}

Result<void> DatasetState::record_file(const std::string& path, std::map<DigestAlgorithm, std::string> digests,
                                       const std::string& from_archive, const std::string& now) {
    auto stamp = stamp_of(m_dir / path);
    if (!stamp) {
        return Error(ErrorCode::local_io, "cannot stat the installed file " + (m_dir / path).string());
    }
    files[path] = InstalledFile{stamp->size, stamp->mtime_ns, std::move(digests), from_archive, now};
    return {};
}

} // namespace cxrcat
