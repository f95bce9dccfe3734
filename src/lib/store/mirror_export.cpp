// SPDX-License-Identifier: Apache-2.0
// mirror export: verified files laid out by content, ready for a static HTTP server or a bucket.
#include "cxrcat/store/mirror_export.hpp"

#include "cxrcat/state/dataset_state.hpp"
#include "cxrcat/access/terms_ledger.hpp"
#include "store/mirror_target.hpp"

#include <nlohmann/json.hpp>

namespace cxrcat {

namespace {

using nlohmann::json;

json parse_mirror_index(const std::optional<std::string>& text) {
    if (!text) {
        return {{"format", 1}, {"datasets", json::object()}};
    }
    json index = json::parse(*text, nullptr, false);
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

namespace {

Result<MirrorExportReport> export_mirror_into(MirrorTarget& target, const std::vector<const Dataset*>& datasets,
                                              const Paths& paths, bool internal) {
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
    // Before anything is read or written: a missing bucket or a rejected key fails here, once.
    if (auto opened = target.open(); !opened) {
        return opened.error();
    }
    MirrorExportReport report;
    auto index_text = target.read_text("index.json");
    if (!index_text) {
        return index_text.error();
    }
    json index = parse_mirror_index(*index_text);
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
            std::string object = "sha256/" + sha256->second;
            auto placed = target.place(source_dir / path, object, entry.size);
            if (!placed) {
                return placed.error();
            }
            report.objects_written += *placed ? 1U : 0U;
            report.objects_present += *placed ? 0U : 1U;
            json record = {{"size", entry.size}, {"sha256", sha256->second}};
            if (auto md5 = entry.digests.find(DigestAlgorithm::md5); md5 != entry.digests.end()) {
                auto aliased = target.alias(object, "md5/" + md5->second, source_dir / path, entry.size);
                if (!aliased) {
                    return aliased.error();
                }
                record["md5"] = md5->second;
            }
            files[path] = record;
            ++report.files;
            report.bytes += entry.size;
        }
        for (const auto& [path, archive] : state.archives) {
            // An archive with no digest of its own (a TCIA series zip, built anew for every request;
            // the whole of a split archive, whose parts have theirs) is never looked up in a mirror.
            if (!archive.kept && !archive.digests.empty()) {
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
    if (auto written = target.write_text("index.json", index.dump(2) + "\n"); !written) {
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
        if (auto written = target.write_text("NOTICE.txt", notice); !written) {
            return written.error();
        }
    }
    return report;
}

} // namespace

Result<MirrorExportReport> export_mirror(const std::filesystem::path& directory,
                                         const std::vector<const Dataset*>& datasets, const Paths& paths,
                                         bool internal) {
    auto target = make_directory_target(directory);
    return export_mirror_into(*target, datasets, paths, internal);
}

Result<MirrorExportReport> export_mirror_to_s3(const S3Location& location, const S3Settings& settings,
                                               const std::optional<std::filesystem::path>& ca_bundle,
                                               const std::vector<const Dataset*>& datasets, const Paths& paths,
                                               bool internal) {
    auto target = make_s3_target(location, settings, ca_bundle);
    return export_mirror_into(*target, datasets, paths, internal);
}

} // namespace cxrcat
