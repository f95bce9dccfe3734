// SPDX-License-Identifier: Apache-2.0
// mirror export: verified files laid out by content, ready for a static HTTP server or a bucket.
#include "cxrcat/mirror_export.hpp"

#include "cxrcat/atomic_file.hpp"
#include "cxrcat/dataset_state.hpp"
#include "cxrcat/terms_ledger.hpp"

#include <nlohmann/json.hpp>

#include <fstream>
#include <sstream>

namespace cxrcat {

namespace {

using nlohmann::json;

// Hard link when on the same filesystem, else copy; an existing object is kept (same content).
Result<void> place(const std::filesystem::path& from, const std::filesystem::path& to) {
    std::error_code ec;
    if (std::filesystem::exists(to, ec)) {
        return {};
    }
    std::filesystem::create_directories(to.parent_path(), ec);
    std::filesystem::path staging = to;
    staging += ".part";
    std::filesystem::remove(staging, ec);
    ec.clear();
    std::filesystem::create_hard_link(from, staging, ec);
    if (ec) {
        ec.clear();
        std::filesystem::copy_file(from, staging, std::filesystem::copy_options::overwrite_existing, ec);
    }
    if (!ec) {
        std::filesystem::rename(staging, to, ec);
    }
    if (ec) {
        std::filesystem::remove(staging, ec);
        return Error(ErrorCode::local_io, "cannot write " + to.string() + ": " + ec.message());
    }
    return {};
}

json read_index(const std::filesystem::path& path) {
    std::ifstream stream(path);
    if (!stream) {
        return {{"format", 1}, {"datasets", json::object()}};
    }
    std::stringstream content;
    content << stream.rdbuf();
    json index = json::parse(content.str(), nullptr, false);
    if (index.is_discarded() || !index.is_object() || !index.contains("datasets")) {
        return {{"format", 1}, {"datasets", json::object()}};
    }
    return index;
}

} // namespace

bool may_redistribute(const Dataset& dataset) {
    AccessClass access = dataset.access.access_class;
    bool licensed_route = access == AccessClass::open;
    return licensed_route && dataset.redistribution == Redistribution::allowed;
}

Result<MirrorExportReport> export_mirror(const std::filesystem::path& directory,
                                         const std::vector<const Dataset*>& datasets, const Paths& paths,
                                         bool internal) {
    std::vector<std::string> refused;
    for (const Dataset* dataset : datasets) {
        if (!may_redistribute(*dataset) && !internal) {
            refused.push_back(dataset->id + ": redistribution " + std::string(to_string(dataset->redistribution)) +
                              " (access " + std::string(to_string(dataset->access.access_class)) + ")" +
                              (dataset->redistribution_note.empty() ? "" : " — " + dataset->redistribution_note));
        }
    }
    if (!refused.empty()) {
        Error error(ErrorCode::access_denied, "refusing to export datasets whose terms forbid redistribution", refused);
        error.note("pass --internal only for a mirror that stays inside the organisation holding the access rights");
        return error;
    }
    MirrorExportReport report;
    json index = read_index(directory / "index.json");
    std::vector<std::string> restricted;
    for (const Dataset* dataset : datasets) {
        std::filesystem::path source_dir = paths.dataset_dir(dataset->id);
        DatasetState state = DatasetState::load(source_dir);
        if (state.files.empty()) {
            report.warnings.push_back(dataset->id + ": nothing is installed; run cxrcat fetch " + dataset->id +
                                      " first");
            continue;
        }
        json files = json::object();
        for (const auto& [path, entry] : state.files) {
            if (!entry.from_archive.empty()) {
                continue; // mirrors serve what the catalog lists: the archive, not its contents
            }
            auto sha256 = entry.digests.find(DigestAlgorithm::sha256);
            if (sha256 == entry.digests.end() || !state.is_intact(path)) {
                report.warnings.push_back(dataset->id + "/" + path + ": not verified; skipped (run cxrcat verify)");
                continue;
            }
            std::filesystem::path object = directory / "sha256" / sha256->second;
            if (auto placed = place(source_dir / path, object); !placed) {
                return placed.error();
            }
            json record = {{"size", entry.size}, {"sha256", sha256->second}};
            if (auto md5 = entry.digests.find(DigestAlgorithm::md5); md5 != entry.digests.end()) {
                if (auto placed = place(object, directory / "md5" / md5->second); !placed) {
                    return placed.error();
                }
                record["md5"] = md5->second;
            }
            files[path] = record;
            ++report.files;
            report.bytes += entry.size;
        }
        for (const auto& [path, archive] : state.archives) {
            if (!archive.kept) {
                report.warnings.push_back(dataset->id + "/" + path +
                                          ": the archive was deleted after extraction and cannot be exported; "
                                          "refetch with --keep-archives to include it");
            }
        }
        index["datasets"][dataset->id] = {{"redistribution", to_string(dataset->redistribution)},
                                          {"terms_sha256", terms_digest(*dataset)},
                                          {"files", files}};
        if (!may_redistribute(*dataset)) {
            restricted.push_back(dataset->id);
        }
        report.datasets.push_back(dataset->id);
    }
    if (auto written = write_file_atomically(directory / "index.json", index.dump(2) + "\n"); !written) {
        return written.error();
    }
    if (!restricted.empty()) {
        std::string notice =
            "INTERNAL MIRROR — DO NOT SHARE OUTSIDE YOUR ORGANISATION\n\n"
            "This mirror holds data whose terms forbid redistribution. It may be served only inside the\n"
            "organisation that holds the access rights (signed agreements, accepted competition rules,\n"
            "granted gated access), to people covered by those rights.\n\nDatasets:\n";
        for (const auto& id : restricted) {
            notice += "  - " + id + "\n";
        }
        if (auto written = write_file_atomically(directory / "NOTICE.txt", notice); !written) {
            return written.error();
        }
    }
    return report;
}

} // namespace cxrcat
