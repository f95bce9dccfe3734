// SPDX-License-Identifier: Apache-2.0
#include "cxrcat/state/dataset_state.hpp"

#include "cxrcat/base/digest_json.hpp"
#include "cxrcat/files/atomic_file.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <sys/stat.h>

namespace cxrcat {

namespace {

using nlohmann::json;

constexpr int k_state_format = 1;

std::optional<FileStamp> stamp_of(const std::filesystem::path& path) {
    struct stat info {};
    if (::stat(path.c_str(), &info) != 0 || !S_ISREG(info.st_mode)) {
        return std::nullopt;
    }
    return FileStamp{static_cast<std::uint64_t>(info.st_size),
                     static_cast<std::int64_t>(info.st_mtim.tv_sec) * 1'000'000'000 + info.st_mtim.tv_nsec};
}

json state_entry_json(const InstalledFile& entry) {
    return {{"size", entry.size},
            {"mtime_ns", entry.mtime_ns},
            {"digests", digests_to_json(entry.digests)},
            {"from_archive", entry.from_archive},
            {"installed_at", entry.installed_at}};
}

json state_entry_json(const ExtractedArchive& entry) {
    json out = {{"size", entry.size},
                {"digests", digests_to_json(entry.digests)},
                {"files", entry.files},
                {"kept", entry.kept},
                {"extracted_at", entry.extracted_at}};
    if (!entry.not_selected.empty()) {
        out["not_selected"] = entry.not_selected;
    }
    if (!entry.refused.empty()) {
        out["refused"] = entry.refused;
    }
    return out;
}

json state_entry_json(const RecordedDigest& entry) {
    return {{"sha256", entry.sha256}, {"size", entry.size}, {"recorded_at", entry.recorded_at}};
}

// One section of a state or journal document ("files", "archives", "recorded_digests"): an object
// with each path's entry.
template <typename Entry> json state_section_json(const std::map<std::string, Entry>& entries) {
    json out = json::object();
    for (const auto& [path, entry] : entries) {
        out[path] = state_entry_json(entry);
    }
    return out;
}

// Reads the three sections of a state or journal document into the maps (entries replace
// entries of the same path). Throws json::exception when the document is damaged.
void read_state_sections(const json& document, std::map<std::string, InstalledFile>& files,
                         std::map<std::string, ExtractedArchive>& archives,
                         std::map<std::string, RecordedDigest>& recorded) {
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
        files.insert_or_assign(path, std::move(entry));
    }
    for (const auto& [path, value] : archives_json.items()) {
        ExtractedArchive entry;
        entry.size = value.at("size").get<std::uint64_t>();
        entry.digests = digests_from_json(value.value("digests", json::object()));
        entry.files = value.at("files").get<std::vector<std::string>>();
        entry.kept = value.value("kept", false);
        entry.extracted_at = value.value("extracted_at", "");
        entry.not_selected = value.value("not_selected", std::vector<std::string>{});
        entry.refused = value.value("refused", std::vector<std::string>{});
        archives.insert_or_assign(path, std::move(entry));
    }
    for (const auto& [path, value] : recorded_json.items()) {
        RecordedDigest entry{value.at("sha256").get<std::string>(), value.value("size", std::uint64_t{0}),
                             value.value("recorded_at", "")};
        if (is_valid_hex_digest(DigestAlgorithm::sha256, entry.sha256)) {
            recorded.insert_or_assign(path, std::move(entry));
        }
    }
}

std::optional<json> read_state_document(const std::filesystem::path& file) {
    std::ifstream stream(file);
    if (!stream) {
        return std::nullopt;
    }
    std::stringstream content;
    content << stream.rdbuf();
    return json::parse(content.str(), nullptr, false);
}

std::filesystem::path state_journal_dir(const std::filesystem::path& dataset_dir) {
    return state_dir(dataset_dir) / "journal";
}

// The journals, in name order (shards touch disjoint files, so the order rarely matters).
std::vector<std::filesystem::path> state_journal_files(const std::filesystem::path& dataset_dir) {
    std::vector<std::filesystem::path> out;
    std::error_code ec;
    for (std::filesystem::directory_iterator it(state_journal_dir(dataset_dir), ec), end; !ec && it != end;
         it.increment(ec)) {
        if (it->path().extension() == ".json") {
            out.push_back(it->path());
        }
    }
    std::sort(out.begin(), out.end());
    return out;
}

template <typename Map> void erase_state_keys(Map& map, const json& keys) {
    if (keys.is_array()) {
        for (const auto& key : keys) {
            if (key.is_string()) {
                map.erase(key.get<std::string>());
            }
        }
    }
}

// Entries of `now` that differ from `before`, and the keys `before` had that `now` lacks.
template <typename Map> std::pair<Map, std::vector<std::string>> state_changes(const Map& before, const Map& now) {
    Map changed;
    std::vector<std::string> removed;
    for (const auto& [key, value] : now) {
        auto it = before.find(key);
        if (it == before.end() || !(it->second == value)) {
            changed.emplace(key, value);
        }
    }
    for (const auto& [key, value] : before) {
        if (now.count(key) == 0) {
            removed.push_back(key);
        }
    }
    return {std::move(changed), std::move(removed)};
}

// Merges one state or journal document into the maps: its removals first, then its entries.
// Throws json::exception when the document is damaged.
void merge_state_document(const json& document, std::map<std::string, InstalledFile>& files,
                          std::map<std::string, ExtractedArchive>& archives,
                          std::map<std::string, RecordedDigest>& recorded) {
    const json removed = document.value("removed", json::object());
    erase_state_keys(files, removed.value("files", json::array()));
    erase_state_keys(archives, removed.value("archives", json::array()));
    erase_state_keys(recorded, removed.value("recorded_digests", json::array()));
    read_state_sections(document, files, archives, recorded);
}

} // namespace

std::filesystem::path state_dir(const std::filesystem::path& dataset_dir) {
    return dataset_dir / ".cxrcat";
}

DatasetState DatasetState::load(const std::filesystem::path& dataset_dir) {
    DatasetState state;
    state.m_dir = dataset_dir;
    std::filesystem::path file = state_dir(dataset_dir) / "state.json";
    std::vector<std::filesystem::path> documents{file};
    for (auto& journal : state_journal_files(dataset_dir)) {
        documents.push_back(std::move(journal));
    }
    for (const auto& path : documents) {
        auto document = read_state_document(path);
        if (!document) {
            continue;
        }
        if (document->is_discarded() || !document->is_object()) {
            DatasetState fresh;
            fresh.m_dir = dataset_dir;
            fresh.warnings.push_back(path.string() + " is damaged; every file will be downloaded or verified again");
            return fresh;
        }
        try {
            merge_state_document(*document, state.files, state.archives, state.recorded);
        } catch (const json::exception& error) {
            DatasetState fresh;
            fresh.m_dir = dataset_dir;
            fresh.warnings.push_back(path.string() + " is damaged (" + error.what() +
                                     "); every file will be downloaded or verified again");
            return fresh;
        }
    }
    state.m_loaded = Snapshot{state.files, state.archives, state.recorded};
    return state;
}

DatasetState DatasetState::from_text(const std::string& text, const std::vector<std::string>& journals,
                                     const std::string& where, StampReader stamp) {
    DatasetState state;
    state.m_stamp = std::move(stamp);
    auto damaged = [&](const std::string& why) {
        DatasetState fresh;
        fresh.m_stamp = state.m_stamp;
        fresh.warnings.push_back(where + " is damaged" + why + "; every file will be downloaded or verified again");
        return fresh;
    };
    std::vector<const std::string*> documents{&text};
    for (const auto& journal : journals) {
        documents.push_back(&journal);
    }
    for (const std::string* document_text : documents) {
        if (document_text->empty()) {
            continue;
        }
        json document = json::parse(*document_text, nullptr, false);
        if (document.is_discarded() || !document.is_object()) {
            return damaged("");
        }
        try {
            merge_state_document(document, state.files, state.archives, state.recorded);
        } catch (const json::exception& error) {
            return damaged(std::string(" (") + error.what() + ")");
        }
    }
    state.m_loaded = Snapshot{state.files, state.archives, state.recorded};
    return state;
}

std::string DatasetState::to_text() const {
    json document = {{"format", k_state_format},
                     {"files", state_section_json(files)},
                     {"archives", state_section_json(archives)},
                     {"recorded_digests", state_section_json(recorded)}};
    return document.dump(1) + "\n";
}

std::optional<FileStamp> DatasetState::stamp(const std::string& path) const {
    return m_stamp ? m_stamp(path) : stamp_of(m_dir / path);
}

Result<void> DatasetState::save() const {
    if (auto written = write_file_atomically(state_dir(m_dir) / "state.json", to_text()); !written) {
        return written;
    }
    // Folded in: the journals' entries are all in state.json now.
    for (const auto& journal : state_journal_files(m_dir)) {
        std::error_code ignored;
        std::filesystem::remove(journal, ignored);
    }
    return {};
}

Result<void> DatasetState::save_journal(const std::string& tag) const {
    std::filesystem::path path = state_journal_dir(m_dir) / (tag + ".json");
    std::string earlier;
    if (std::ifstream stream(path); stream) {
        std::stringstream content;
        content << stream.rdbuf();
        earlier = content.str();
    }
    return write_file_atomically(path, journal_text(earlier));
}

std::string DatasetState::journal_text(const std::string& earlier) const {
    // This shard's earlier journal, with this run's changes on top.
    Snapshot journal;
    json removed = {{"files", json::array()}, {"archives", json::array()}, {"recorded_digests", json::array()}};
    if (json document = json::parse(earlier, nullptr, false); document.is_object()) {
        try {
            read_state_sections(document, journal.files, journal.archives, journal.recorded);
            removed = document.value("removed", removed);
        } catch (const json::exception&) {
            journal = Snapshot{}; // damaged: this run's changes alone
        }
    }
    auto apply = [&removed](auto& into, const auto& before, const auto& now, const char* section) {
        auto [changed, gone] = state_changes(before, now);
        json& list = removed[section];
        for (const auto& key : gone) {
            into.erase(key);
            list.push_back(key);
        }
        for (auto& [key, value] : changed) {
            into.insert_or_assign(key, value);
        }
    };
    apply(journal.files, m_loaded.files, files, "files");
    apply(journal.archives, m_loaded.archives, archives, "archives");
    apply(journal.recorded, m_loaded.recorded, recorded, "recorded_digests");
    json document = {{"format", k_state_format},
                     {"files", state_section_json(journal.files)},
                     {"archives", state_section_json(journal.archives)},
                     {"recorded_digests", state_section_json(journal.recorded)},
                     {"removed", removed}};
    return document.dump(1) + "\n";
}

bool DatasetState::is_intact(const std::string& path) const {
    auto it = files.find(path);
    if (it == files.end()) {
        return false;
    }
    auto stamp = this->stamp(path);
    return stamp && stamp->size == it->second.size && stamp->mtime_ns == it->second.mtime_ns;
}

bool DatasetState::is_extracted(const std::string& archive_path) const {
    auto it = archives.find(archive_path);
    if (it == archives.end() || !it->second.refused.empty()) {
        return false; // a member fetch --decode refused is still missing
    }
    return std::all_of(it->second.files.begin(), it->second.files.end(),
                       [this](const std::string& path) { return is_intact(path); });
}

bool DatasetState::is_extracted_for(const std::string& archive_path, const std::set<std::string>* members) const {
    if (!is_extracted(archive_path)) {
        return false;
    }
    const std::vector<std::string>& left_out = archives.at(archive_path).not_selected;
    return std::none_of(left_out.begin(), left_out.end(), [members](const std::string& path) {
        return members == nullptr || member_selected(*members, path);
    });
}

bool member_selected(const std::set<std::string>& members, const std::string& path) {
    if (members.count(path) != 0) {
        return true;
    }
    for (std::size_t slash = path.find('/'); slash != std::string::npos; slash = path.find('/', slash + 1)) {
        if (members.count(path.substr(slash + 1)) != 0) {
            return true;
        }
    }
    return false;
}

Result<void> DatasetState::record_file(const std::string& path, std::map<DigestAlgorithm, std::string> digests,
                                       const std::string& from_archive, const std::string& now) {
    auto stamp = this->stamp(path);
    if (!stamp) {
        return Error(ErrorCode::local_io, "cannot stat the installed file " + (m_dir / path).string());
    }
    files[path] = InstalledFile{stamp->size, stamp->mtime_ns, std::move(digests), from_archive, now};
    return {};
}

} // namespace cxrcat
