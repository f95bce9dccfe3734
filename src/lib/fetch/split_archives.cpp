// SPDX-License-Identifier: Apache-2.0
#include "fetch/split_archives.hpp"

#include "fetch/member_decode_gate.hpp"

#include <algorithm>
#include <optional>
#include <system_error>

namespace cxrcat {

namespace {

namespace fs = std::filesystem;

std::string with_directory(const Source& source, const std::string& path) {
    std::string directory = source.param("directory");
    return directory.empty() ? path : directory + "/" + path;
}

// Where each part of split sits in plan.files, or nullopt (with a warning) when one is missing.
std::optional<std::vector<std::size_t>> planned_parts(const Source& source, const SplitArchive& split,
                                                      const FetchPlan& plan, const std::string& archive,
                                                      std::vector<std::string>& warnings) {
    std::vector<std::size_t> at;
    std::vector<std::string> missing;
    for (const auto& part : split.parts) {
        std::string path = with_directory(source, part);
        auto it = std::find_if(plan.files.begin(), plan.files.end(),
                               [&](const PlannedFile& planned) { return planned.path == path; });
        if (it == plan.files.end()) {
            missing.push_back(path);
        } else {
            at.push_back(static_cast<std::size_t>(it - plan.files.begin()));
        }
    }
    if (missing.empty()) {
        return at;
    }
    if (!at.empty()) {
        warnings.push_back(archive + ": not extracted: " + std::to_string(missing.size()) + " of its " +
                           std::to_string(split.parts.size()) + " parts were not fetched (first: " + missing.front() +
                           "; left out by --include/--exclude, or not in the source)");
    }
    return std::nullopt;
}

// The note every failed part gets: what happened to the rest of its archive.
void note_failed_parts(const std::vector<std::size_t>& at, std::vector<FileResult>& results, const std::string& archive,
                       const fs::path& destination) {
    for (std::size_t i : at) {
        if (results[i].status == TransferStatus::failed && results[i].error) {
            results[i].error->note("this is a part of the split archive " + archive +
                                   "; the verified parts are kept in " +
                                   (destination / archive).parent_path().string() +
                                   " and nothing was extracted; rerun to fetch the missing parts");
        }
    }
}

void extract_one_split_archive(const Dataset& dataset, const SplitArchive& split, const std::string& archive,
                               const std::vector<std::size_t>& at, const FetchPlan& plan,
                               std::vector<FileResult>& results, DatasetState& state, const FetchOptions& options,
                               const std::string& now) {
    const fs::path& destination = plan.destination;
    std::vector<fs::path> parts;
    std::uint64_t size = 0;
    for (std::size_t i : at) {
        parts.push_back(destination / plan.files[i].path);
        size += results[i].bytes;
    }
    fs::path into = (destination / archive).parent_path();
    FileResult& last = results[at.back()];
    ExtractLimits limits = fetch_extract_limits(destination, into, options.max_expansion, std::nullopt);
    std::string prefix = fs::path(archive).parent_path().generic_string();
    // --decode: the members are checked on -j workers once staged, as a whole archive's are.
    std::optional<MemberDecodeGate> gate;
    if (options.decode) {
        gate.emplace(dataset, prefix, static_cast<unsigned>(std::max(1, options.download.jobs)));
        gate->attach(limits);
    }
    auto extracted = extract_split_archive(parts, into, limits);
    if (!extracted) {
        last.status = TransferStatus::failed;
        last.error = extracted.error();
        last.error->note("the " + std::to_string(parts.size()) + " verified parts of " + archive + " are kept in " +
                         parts.front().parent_path().string() + "; rerun to extract them again");
        return;
    }
    auto recorded = record_extracted_files(state, archive, prefix, *extracted, size, now);
    if (!recorded) {
        last.status = TransferStatus::failed;
        last.error = recorded.error();
        return;
    }
    ExtractedArchive record = std::move(*recorded);
    record.kept = options.keep_archives;
    last.extracted_files = extracted->size();
    last.notes.push_back("extracted " + archive + " from its " + std::to_string(split.parts.size()) + " parts");
    if (gate) {
        record.refused = gate->refused();
        if (auto refused = gate->finish(archive, parts.front().parent_path(), extracted->size(), last)) {
            last.status = TransferStatus::failed;
            last.error = std::move(refused);
            record.kept = true; // verified parts: a rerun extracts them again instead of downloading them
        }
    }
    // Each part keeps a record of its own (size, digests, what it unpacked to), so a rerun, a lock
    // and a mirror export know the part even after it is removed. Written only now: a
    // half-extracted tree is never taken as done.
    for (std::size_t i : at) {
        const std::string& part = plan.files[i].path;
        ExtractedArchive part_record = record;
        if (auto installed = state.files.find(part); installed != state.files.end()) {
            part_record.size = installed->second.size;
            part_record.digests = installed->second.digests;
        }
        state.archives[part] = std::move(part_record);
        if (!record.kept) {
            std::error_code ignored;
            fs::remove(destination / part, ignored);
            state.files.erase(part);
        }
    }
    state.archives[archive] = std::move(record);
}

} // namespace

ExtractLimits fetch_extract_limits(const fs::path& destination, const fs::path& into, double max_expansion,
                                   std::optional<std::uint64_t> declared_size) {
    ExtractLimits limits;
    limits.max_ratio = max_expansion;
    limits.declared_output_bytes = declared_size;
    if (into == destination) {
        limits.reserved_names = {state_dir(destination).filename().string()};
    }
    return limits;
}

Result<ExtractedArchive> record_extracted_files(DatasetState& state, const std::string& archive_key,
                                                const std::string& prefix, const std::vector<ExtractedFile>& files,
                                                std::uint64_t archive_size, const std::string& now) {
    ExtractedArchive record;
    record.size = archive_size;
    record.extracted_at = now;
    for (const auto& file : files) {
        std::string relative = prefix.empty() ? file.path : prefix + "/" + file.path;
        if (auto recorded = state.record_file(relative, {{DigestAlgorithm::sha256, file.sha256}}, archive_key, now);
            !recorded) {
            return recorded.error();
        }
        record.files.push_back(std::move(relative));
    }
    return record;
}

std::map<std::string, std::string> split_archive_parts(const Source& source) {
    std::map<std::string, std::string> parts;
    for (const auto& split : source.split_archives) {
        for (const auto& part : split.parts) {
            parts.emplace(with_directory(source, part), with_directory(source, split.archive));
        }
    }
    return parts;
}

void extract_split_archives(const Dataset& dataset, const FetchPlan& plan, std::vector<FileResult>& results,
                            DatasetState& state, const FetchOptions& options, const std::string& now,
                            std::vector<std::string>& warnings) {
    if (!options.extract) {
        return;
    }
    for (const auto& source : dataset.sources) {
        for (const auto& split : source.split_archives) {
            std::string archive = with_directory(source, split.archive);
            auto at = planned_parts(source, split, plan, archive, warnings);
            if (!at || state.is_extracted(archive)) {
                continue;
            }
            bool all_verified = std::all_of(at->begin(), at->end(),
                                            [&](std::size_t i) { return results[i].status != TransferStatus::failed; });
            if (!all_verified) {
                note_failed_parts(*at, results, archive, plan.destination);
                continue;
            }
            extract_one_split_archive(dataset, split, archive, *at, plan, results, state, options, now);
        }
    }
}

} // namespace cxrcat
