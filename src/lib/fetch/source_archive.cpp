// SPDX-License-Identifier: Apache-2.0
// One zip of a whole source. Kaggle's DownloadDataFiles answers with a redirect to "<competition>.zip"
// holding every listed file under its listed name (Kaggle/kaggle-api@1744cda
// src/kaggle/api/kaggle_api_extended.py `competition_download_files`); the listing is what the zip
// must match, member for member, since Kaggle publishes no checksum of the files inside.
#include "fetch/source_archive.hpp"

#include "cxrcat/archive/extract.hpp"
#include "cxrcat/base/text.hpp"
#include "cxrcat/state/dataset_state.hpp"
#include "fetch/split_archives.hpp"

#include <algorithm>
#include <map>

namespace cxrcat {

namespace {

namespace fs = std::filesystem;

// The planned files one archive delivers: member name (the path below the source's directory) →
// index into plan.files.
struct ArchiveGroup {
    std::string url;
    std::string prefix; // the source's directory ("" for the dataset's top)
    std::map<std::string, std::size_t> members;
    bool usable = true;
};

bool needs_download(const PlannedFile& planned, const fs::path& destination) {
    for (const auto& [algorithm, hex] : planned.digests) {
        if (algorithm != DigestAlgorithm::sha256 && algorithm != DigestAlgorithm::md5) {
            return false; // extraction hashes SHA-256 and MD5 only
        }
    }
    fs::path target = destination / planned.path;
    fs::path part = target;
    part += ".part";
    std::error_code ec;
    return !planned.verified && !planned.local && !planned.unavailable && planned.split_archive.empty() &&
           !fs::exists(target, ec) && !fs::exists(part, ec);
}

std::map<std::size_t, ArchiveGroup> archive_groups(const SourceArchiveContext& context) {
    std::map<std::size_t, ArchiveGroup> groups;
    const auto& files = context.plan.files;
    for (std::size_t i = 0; i < files.size(); ++i) {
        std::size_t source = files[i].source_index;
        ArchiveGroup& group = groups[source];
        if (group.members.empty() && group.url.empty()) {
            group.url = files[i].source.archive_url;
            group.prefix = context.dataset.sources.at(source).param("directory");
        }
        std::string lead = group.prefix.empty() ? "" : group.prefix + "/";
        const std::string& path = files[i].path;
        if (files[i].source.archive_url.empty() || files[i].source.archive_url != group.url ||
            path.rfind(lead, 0) != 0 || !needs_download(files[i], context.destination)) {
            group.usable = false;
            continue;
        }
        group.members.emplace(path.substr(lead.size()), i);
    }
    std::erase_if(groups, [](const auto& entry) { return !entry.second.usable || entry.second.members.empty(); });
    return groups;
}

// The archive's name as its URL gives it ("<competition>.zip"), below the source's directory.
std::string archive_label(const ArchiveGroup& group) {
    std::string path = group.url.substr(0, group.url.find('?'));
    std::string name = path.substr(path.rfind('/') + 1);
    return (group.prefix.empty() ? "" : group.prefix + "/") + (name.empty() ? "archive.zip" : name);
}

Error archive_member_error(const std::string& label, const std::string& what, std::vector<std::string> notes = {}) {
    notes.emplace_back("nothing of " + label + " was installed; rerun to download it again");
    return {ErrorCode::integrity, label + ": " + what, std::move(notes)};
}

// The vet of the staged members: exactly the listed files, each with its listed size and digests.
Result<void> check_members(const ArchiveGroup& group, const FetchPlan& plan, const std::vector<ExtractedFile>& staged,
                           const std::string& label) {
    std::size_t seen = 0;
    for (const auto& file : staged) {
        auto member = group.members.find(file.path);
        if (member == group.members.end()) {
            return archive_member_error(label, "member " + file.path + " is not in the provider's file list");
        }
        ++seen;
        const PlannedFile& planned = plan.files[member->second];
        if (planned.size && *planned.size != file.size) {
            return archive_member_error(
                label, "member " + file.path + ": size mismatch",
                {"expected " + group_thousands(*planned.size) + " bytes (the provider's file list)",
                 "actual   " + group_thousands(file.size) + " bytes"});
        }
        for (const auto& [algorithm, expected] : planned.digests) {
            const std::string& actual = algorithm == DigestAlgorithm::sha256 ? file.sha256 : file.md5;
            if (actual != expected) {
                std::string origin = planned.digest_origin.empty() ? "" : " (" + planned.digest_origin + ")";
                return archive_member_error(
                    label, "member " + file.path + ": " + std::string(to_string(algorithm)) + " mismatch",
                    {"expected " + expected + origin, "actual   " + actual});
            }
        }
    }
    if (seen != group.members.size()) {
        for (const auto& member : group.members) {
            const std::string& name = member.first; // a plain reference: clang 14 cannot capture a binding
            bool present =
                std::any_of(staged.begin(), staged.end(), [&](const ExtractedFile& f) { return f.path == name; });
            if (!present) {
                return archive_member_error(label, "the provider lists " + name + ", which the zip does not hold");
            }
        }
    }
    return {};
}

// Unpacks the downloaded zip into place once every member passed; settles the group's results.
void install_members(const SourceArchiveContext& context, const ArchiveGroup& group, const fs::path& zip,
                     const TransferOutcome& outcome, std::vector<FileResult>& results) {
    std::string label = archive_label(group);
    fs::path into = group.prefix.empty() ? context.destination : context.destination / group.prefix;
    std::optional<std::uint64_t> declared = std::uint64_t{0};
    bool md5 = false;
    for (const auto& [name, index] : group.members) {
        const PlannedFile& planned = context.plan.files[index];
        declared = planned.size && declared ? std::optional(*declared + *planned.size) : std::nullopt;
        md5 = md5 || planned.digests.contains(DigestAlgorithm::md5);
    }
    ExtractLimits limits = fetch_extract_limits(context.destination, into, context.options.max_expansion, declared);
    limits.member_md5 = md5;
    limits.vet = [&](const fs::path&, const std::vector<ExtractedFile>& staged) {
        return check_members(group, context.plan, staged, label);
    };
    auto extracted = extract_archive(zip, into, limits);
    std::error_code ignored;
    fs::remove(zip, ignored); // Kaggle signs a new URL per request: the zip is never kept
    bool first = true;
    for (const auto& member : group.members) {
        const std::string& name = member.first; // a plain reference: clang 14 cannot capture a binding
        FileResult& result = results[member.second];
        if (!extracted) {
            result.status = TransferStatus::failed;
            result.error = extracted.error();
            continue;
        }
        auto file = std::find_if(extracted->begin(), extracted->end(),
                                 [&name](const ExtractedFile& f) { return f.path == name; });
        result.status = TransferStatus::downloaded;
        result.bytes = file->size;
        result.bytes_received = first ? outcome.bytes_received : 0; // the zip's bytes, counted once
        result.digests = {{DigestAlgorithm::sha256, file->sha256}};
        if (!file->md5.empty()) {
            result.digests[DigestAlgorithm::md5] = file->md5;
        }
        result.digest_origin = context.plan.files[member.second].digest_origin;
        if (first) {
            result.notes.push_back("from " + label + ", one download of all " + std::to_string(group.members.size()) +
                                   " files of the source, every member checked against the file list");
        }
        first = false;
        context.record(context.plan.files[member.second], file->size, result.digests, result);
    }
}

} // namespace

std::set<std::size_t> fetch_source_archives(const SourceArchiveContext& context, std::vector<FileResult>& results,
                                            std::vector<std::string>& warnings) {
    std::set<std::size_t> settled;
    for (const auto& [source, group] : archive_groups(context)) {
        const PlannedFile& any = context.plan.files[group.members.begin()->second];
        fs::path zip = state_dir(context.destination) / ("source-" + std::to_string(source + 1) + ".zip");
        std::vector<TransferRequest> requests(1);
        TransferRequest& request = requests.front();
        request.urls = {group.url}; // signed: no credentials go with it
        request.user_agent = any.source.user_agent;
        request.destination = zip;
        request.display_path = archive_label(group);
        request.expected_kind = PayloadKind::zip;
        request.served_md5 = any.source.served_md5; // X-Goog-Hash names the zip's MD5
        auto outcomes = context.session.transfer(requests, context.options.download, context.progress);
        TransferOutcome& outcome = outcomes.front();
        if (outcome.status != TransferStatus::downloaded && outcome.error && outcome.error->http_status() >= 400) {
            // Refused or expired upstream: the per-file requests may still be served.
            warnings.push_back(request.display_path + ": the archive of the whole source answered HTTP " +
                               std::to_string(outcome.error->http_status()) + "; downloading its " +
                               std::to_string(group.members.size()) + " files one by one");
            std::error_code ignored;
            fs::remove(zip, ignored);
            continue;
        }
        for (const auto& [name, index] : group.members) {
            settled.insert(index);
            results[index].path = context.plan.files[index].path;
            if (outcome.status != TransferStatus::downloaded) {
                results[index].status = TransferStatus::failed;
                results[index].error = outcome.error ? *outcome.error
                                                     : Error(ErrorCode::network,
                                                             request.display_path + ": the archive was not downloaded");
            }
        }
        if (outcome.status == TransferStatus::downloaded) {
            install_members(context, group, zip, outcome, results);
        }
    }
    return settled;
}

} // namespace cxrcat
