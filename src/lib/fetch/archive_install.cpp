// SPDX-License-Identifier: Apache-2.0
#include "fetch/archive_install.hpp"

#include "cxrcat/archive/extract.hpp"
#include "fetch/member_decode_gate.hpp"
#include "fetch/split_archives.hpp"

#include <algorithm>
#include <functional>
#include <optional>
#include <set>

namespace cxrcat {

namespace {

// fetch --where on labels: keeps the archive's members whose dataset path (prefix/member) is selected
// (member_selected), or that an earlier selection installed from it (a new selection adds to what is
// there); collects the others' dataset paths in not_selected.
std::function<bool(const std::string&)> member_filter(const DatasetState& state, const std::string& archive,
                                                      const std::string& prefix, const std::set<std::string>& members,
                                                      std::set<std::string>& not_selected) {
    std::set<std::string> earlier;
    if (auto it = state.archives.find(archive); it != state.archives.end()) {
        earlier.insert(it->second.files.begin(), it->second.files.end());
    }
    return [&members, &not_selected, earlier = std::move(earlier), prefix](const std::string& member) {
        std::string path = prefix.empty() ? member : prefix + "/" + member;
        if (member_selected(members, path) || earlier.count(path) != 0) {
            return true;
        }
        not_selected.insert(std::move(path));
        return false;
    };
}

} // namespace

void extract_into_place(const Dataset& dataset, const PlannedFile& planned, const std::filesystem::path& destination,
                        DatasetState& state, const FetchOptions& options, FileResult& result, const std::string& now) {
    std::filesystem::path archive = destination / planned.path;
    std::filesystem::path into = archive.parent_path();
    std::string prefix = std::filesystem::path(planned.path).parent_path().string();
    ExtractLimits limits = fetch_extract_limits(destination, into, options.max_expansion, planned.extracted_size);
    std::set<std::string> not_selected;
    if (options.members) {
        limits.keep_member = member_filter(state, planned.path, prefix, *options.members, not_selected);
    }
    // --decode: the members are checked on -j workers once staged, before any reaches the dataset.
    std::optional<MemberDecodeGate> gate;
    if (options.decode) {
        gate.emplace(dataset, prefix, static_cast<unsigned>(std::max(1, options.download.jobs)));
        gate->attach(limits);
    }
    auto extracted = extract_archive(archive, into, limits);
    if (!extracted) {
        result.status = TransferStatus::failed;
        result.error = extracted.error();
        result.error->note("the verified archive is kept at " + archive.string() + "; rerun to extract it again");
        return;
    }
    auto recorded = record_extracted_files(state, planned.path, prefix, *extracted, result.bytes, now);
    if (!recorded) {
        result.status = TransferStatus::failed;
        result.error = recorded.error();
        return;
    }
    ExtractedArchive record = std::move(*recorded);
    record.digests = state.files[planned.path].digests;
    result.extracted_files = extracted->size();
    if (options.members) {
        record.not_selected.assign(not_selected.begin(), not_selected.end());
        result.members_not_selected = not_selected.size();
        result.notes.push_back("installed " + std::to_string(extracted->size()) + " member(s) of " + planned.path +
                               ", skipped " + std::to_string(not_selected.size()) + " not selected by --where");
    }
    record.kept = options.keep_archives;
    if (gate) {
        record.refused = gate->refused();
        if (auto refused = gate->finish(planned.path, archive, extracted->size(), result)) {
            result.status = TransferStatus::failed;
            result.error = std::move(refused);
            record.kept = true; // verified bytes: a rerun re-extracts them instead of downloading again
        }
    }
    if (!record.kept) {
        std::error_code ignored;
        std::filesystem::remove(archive, ignored);
        state.files.erase(planned.path);
    }
    // The record is written only now: a half-extracted tree is never taken as done.
    state.archives[planned.path] = std::move(record);
}

} // namespace cxrcat
