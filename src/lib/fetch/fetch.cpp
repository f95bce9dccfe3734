// SPDX-License-Identifier: Apache-2.0
// fetch: plan what is missing, download it through the engine, verify, install, extract, and
// remember what is installed so that a rerun is instant.
#include "cxrcat/fetch/fetch.hpp"

#include "cxrcat/access/terms_ledger.hpp"
#include "cxrcat/archive/extract.hpp"
#include "cxrcat/base/redacted_url.hpp"
#include "cxrcat/base/text.hpp"
#include "cxrcat/files/install_mode.hpp"
#include "cxrcat/net/s3_settings.hpp"
#include "cxrcat/state/dataset_state.hpp"
#include "cxrcat/store/install_store.hpp"
#include "fetch/archive_install.hpp"
#include "fetch/decode_gate.hpp"
#include "fetch/fetch_plan.hpp"
#include "fetch/provenance.hpp"
#include "fetch/series_archive.hpp"
#include "fetch/source_archive.hpp"
#include "fetch/split_archives.hpp"
#include "verify/file_hash.hpp"

#include <algorithm>
#include <functional>
#include <set>

namespace cxrcat {

namespace {

// Mirrors are content-addressed: <mirror>/sha256/<hex>, or <mirror>/md5/<hex> when only md5 is known.
// An s3://bucket/prefix mirror becomes its object's URL, signed (in `signed_urls`) with s3's keys.
std::vector<std::string> mirror_urls(const PlannedFile& planned, const FetchOptions& options,
                                     const std::optional<S3Settings>& s3,
                                     std::map<std::string, AwsSigV4>& signed_urls) {
    std::vector<std::string> urls;
    std::string key;
    if (auto sha256 = planned.digests.find(DigestAlgorithm::sha256); sha256 != planned.digests.end()) {
        key = "sha256/" + sha256->second;
    } else if (auto md5 = planned.digests.find(DigestAlgorithm::md5); md5 != planned.digests.end()) {
        key = "md5/" + md5->second;
    }
    if (key.empty()) {
        return urls;
    }
    for (std::string mirror : options.mirrors) {
        if (is_s3_url(mirror)) {
            auto location = parse_s3_url(mirror);
            if (location && s3) {
                urls.push_back(s3->object_url(location->bucket, location->key(key)));
                signed_urls[urls.back()] = aws_signing(*s3);
            }
            continue;
        }
        while (!mirror.empty() && mirror.back() == '/') {
            mirror.pop_back();
        }
        urls.push_back(mirror.append("/").append(key));
    }
    return urls;
}

// The Hub names the commit it served each file from: a branch that moved during the fetch mixes two
// commits in one install, which the user should know.
void warn_of_mixed_revisions(const std::vector<FileResult>& results, std::vector<std::string>& warnings) {
    std::set<std::string> revisions;
    for (const auto& result : results) {
        if (result.status == TransferStatus::downloaded && !result.served_revision.empty()) {
            revisions.insert(result.served_revision);
        }
    }
    if (revisions.size() > 1) {
        std::string list;
        for (const auto& revision : revisions) {
            list += (list.empty() ? "" : ", ") + revision;
        }
        warnings.push_back("the files were served from " + std::to_string(revisions.size()) + " different commits (" +
                           list + "): the revision moved during the fetch; pin a commit in the catalog's \"revision\"");
    }
}

// The S3 settings s3:// mirrors are read with (nullopt when no mirror is one). Errors: a malformed
// s3:// URL (usage), half a key pair or an unknown AWS_PROFILE (access_denied).
Result<std::optional<S3Settings>> s3_mirror_settings(const FetchOptions& options) {
    bool any = false;
    for (const auto& mirror : options.mirrors) {
        if (is_s3_url(mirror)) {
            if (auto location = parse_s3_url(mirror); !location) {
                return location.error();
            }
            any = true;
        }
    }
    if (!any) {
        return std::optional<S3Settings>{};
    }
    auto settings = s3_settings_from_environment();
    if (!settings) {
        return settings.error();
    }
    settings->request_payer = options.request_payer;
    return std::optional<S3Settings>(std::move(*settings));
}

// Records a verified file in the state (and the digest of a first download), then extracts it.
// With --decode a file already in place (a download) that does not decode is removed again; an
// archive's members are checked as they are extracted (archive_install). A bucket store takes no
// --decode (make_install_store): its bytes never touch the disk.
void record_installed(const Dataset& dataset, const PlannedFile& planned, std::uint64_t size,
                      const std::map<DigestAlgorithm, std::string>& digests, const std::filesystem::path& destination,
                      StoreSession& session, const FetchOptions& options, FileResult& result, const std::string& now) {
    DatasetState& state = session.state();
    if (options.decode && !planned.local && !planned.extract) {
        if (auto refused = decode_gate(dataset, planned.path, destination / planned.path, result)) {
            std::error_code ignored;
            std::filesystem::remove(destination / planned.path, ignored);
            result.status = TransferStatus::failed;
            result.error = std::move(refused);
            return;
        }
    }
    if (auto recorded = session.record(planned.path, digests, now); !recorded) {
        result.status = TransferStatus::failed;
        result.error = recorded.error();
        return;
    }
    if (planned.digest_origin.empty()) {
        result.digest_origin = "recorded at first download";
        std::string sha256 = digests.at(DigestAlgorithm::sha256);
        state.recorded[planned.path] = RecordedDigest{sha256, size, now};
        result.notes.push_back("no published checksum: recorded SHA-256 " + sha256 +
                               " at this first download; later fetches must match it");
    }
    if (planned.extract) {
        extract_into_place(dataset, planned, destination, state, options, result, now);
    }
}

// --from: verifies the user's file, then hard-links (or copies) it into place. The user's file is
// never moved or modified.
void install_local(const Dataset& dataset, const PlannedFile& planned, const std::filesystem::path& destination,
                   StoreSession& session, const FetchOptions& options, FileResult& result, const std::string& now) {
    std::vector<DigestAlgorithm> algorithms{DigestAlgorithm::sha256};
    for (const auto& [algorithm, hex] : planned.digests) {
        if (algorithm != DigestAlgorithm::sha256) {
            algorithms.push_back(algorithm);
        }
    }
    auto hashed = hash_file(*planned.local, algorithms);
    if (!hashed) {
        result.status = TransferStatus::failed;
        result.error = hashed.error();
        return;
    }
    std::string where = "file: " + planned.local->string();
    if (planned.size && hashed->size != *planned.size) {
        result.status = TransferStatus::failed;
        result.error = Error(ErrorCode::integrity, planned.path + ": size mismatch",
                             {"expected " + group_thousands(*planned.size) + " bytes",
                              "actual   " + group_thousands(hashed->size) + " bytes", where, "nothing was installed"});
        return;
    }
    for (const auto& [algorithm, expected] : planned.digests) {
        if (hashed->digests[algorithm] != expected) {
            std::string origin = planned.digest_origin.empty() ? "" : " (" + planned.digest_origin + ")";
            result.status = TransferStatus::failed;
            result.error =
                Error(ErrorCode::integrity, planned.path + ": " + std::string(to_string(algorithm)) + " mismatch",
                      {"expected " + expected + origin, "actual   " + hashed->digests[algorithm], where,
                       "nothing was installed; is this the right file?"});
            return;
        }
    }
    if (options.decode && !planned.extract) {
        if (auto refused = decode_gate(dataset, planned.path, *planned.local, result)) {
            result.status = TransferStatus::failed;
            result.error = std::move(refused);
            return;
        }
    }
    std::filesystem::path target = destination / planned.path;
    std::filesystem::path staging = target;
    staging += ".part";
    std::error_code ec;
    std::filesystem::create_directories(target.parent_path(), ec);
    std::filesystem::remove(staging, ec);
    // A hard link shares the user's permissions and group: only when they are no wider than the install's.
    if (may_share_inode(*planned.local, target.parent_path())) {
        std::filesystem::create_hard_link(*planned.local, staging, ec);
    } else {
        ec = std::make_error_code(std::errc::operation_not_permitted);
    }
    if (ec) {
        ec.clear();
        std::filesystem::copy_file(*planned.local, staging, std::filesystem::copy_options::overwrite_existing, ec);
        if (!ec) {
            std::filesystem::permissions(staging, static_cast<std::filesystem::perms>(install_mode(0644)), ec);
        }
    }
    if (!ec) {
        std::filesystem::rename(staging, target, ec);
    }
    if (ec) {
        std::filesystem::remove(staging, ec);
        result.status = TransferStatus::failed;
        result.error = Error(ErrorCode::local_io, "cannot install " + target.string() + ": " + ec.message());
        return;
    }
    result.status = TransferStatus::downloaded;
    result.bytes = hashed->size;
    result.digests = hashed->digests;
    result.notes.push_back("installed from " + planned.local->string());
    record_installed(dataset, planned, hashed->size, hashed->digests, destination, session, options, result, now);
}

} // namespace

bool FetchReport::ok() const {
    return std::none_of(files.begin(), files.end(),
                        [](const FileResult& file) { return file.status == TransferStatus::failed; });
}

ErrorCode FetchReport::error_code() const {
    for (const auto& file : files) {
        if (file.status == TransferStatus::failed && file.error) {
            return file.error->code();
        }
    }
    return ErrorCode::ok;
}

Result<FetchReport> fetch_dataset(const Dataset& dataset, const Paths& paths, const FetchOptions& options,
                                  ProgressSink* progress) {
    if (dataset.access.access_class == AccessClass::restricted) {
        return restricted_dataset_error(dataset);
    }
    auto store = make_install_store(paths, options);
    if (!store) {
        return store.error();
    }
    std::filesystem::path destination = (*store)->destination(dataset.id);
    // Permissions, the lock, and the state read under it: a process we waited for may have
    // installed everything already.
    auto session = (*store)->open(dataset, options);
    if (!session) {
        return session.error();
    }
    DatasetState& state = (*session)->state();
    auto plan = make_plan(dataset, **store, options, state, true);
    if (!plan) {
        return plan.error();
    }
    FetchReport report;
    report.dataset_id = dataset.id;
    report.destination = destination;
    report.warnings = state.warnings;
    report.warnings.insert(report.warnings.end(), plan->warnings.begin(), plan->warnings.end());
    report.manual_steps = plan->manual_steps;
    report.missing_local = plan->missing_local;
    report.local_alternatives = plan->local_alternatives;
    if (auto room = (*session)->check_room(*plan); !room) {
        return room.error();
    }

    auto s3 = s3_mirror_settings(options);
    if (!s3) {
        return s3.error();
    }
    std::string now = utc_now_iso8601();
    std::vector<TransferRequest> requests;
    std::vector<std::size_t> request_file; // index into plan->files
    std::vector<FileResult> results(plan->files.size());
    // A whole source in one zip, where its provider offers one: what it settles needs no request of its own.
    std::set<std::size_t> archived = fetch_source_archives(
        {dataset, *plan, destination, **session, options, progress,
         [&](const PlannedFile& planned, std::uint64_t size, const std::map<DigestAlgorithm, std::string>& digests,
             FileResult& result) {
             record_installed(dataset, planned, size, digests, destination, **session, options, result, now);
         }},
        results, report.warnings);
    for (std::size_t i = 0; i < plan->files.size(); ++i) {
        const PlannedFile& planned = plan->files[i];
        FileResult& result = results[i];
        result.path = planned.path;
        if (archived.contains(i)) {
            continue;
        }
        std::filesystem::path target = destination / planned.path;
        if (planned.verified ||
            (!planned.extract && !planned.local && !planned.unavailable && (*session)->adopt_existing(planned, now))) {
            result.status = TransferStatus::skipped;
            result.digest_origin = planned.digest_origin.empty() ? "recorded at first download" : planned.digest_origin;
            if (auto it = state.files.find(planned.path); it != state.files.end()) {
                result.bytes = it->second.size;
                result.digests = it->second.digests;
            } else if (auto archive = state.archives.find(planned.path); archive != state.archives.end()) {
                result.bytes = archive->second.size;
                result.digests = archive->second.digests;
            }
            continue;
        }
        if (planned.local) {
            install_local(dataset, planned, destination, **session, options, result, now);
            continue;
        }
        if (planned.unavailable) {
            // Checked per selected file: this one fails, the others are still fetched.
            result.status = TransferStatus::failed;
            result.error = planned.unavailable;
            continue;
        }
        TransferRequest request;
        request.urls = mirror_urls(planned, options, *s3, request.signed_urls);
        request.mirror_count = request.urls.size();
        if (!options.no_origin) {
            request.urls.insert(request.urls.end(), planned.source.urls.begin(), planned.source.urls.end());
        }
        if (request.urls.empty()) {
            result.status = TransferStatus::failed;
            result.error = Error(ErrorCode::network, planned.path + ": no source may serve it",
                                 {planned.digests.empty() ? "its digest is unknown, so no mirror can be asked for it"
                                                          : "no mirror is configured (--mirror, CXRCAT_MIRRORS)",
                                  "--no-origin (or CXRCAT_NO_ORIGIN=1) forbids the upstream server"});
            continue;
        }
        request.resume_url = planned.source.resume_url;
        request.secret_headers = planned.source.secret_headers;
        request.basic_auth = planned.source.basic_auth;
        request.user_agent = planned.source.user_agent;
        request.destination = target;
        request.display_path = planned.path;
        request.expected_size = planned.size;
        request.expected_digests = planned.digests;
        request.digest_origin = planned.digest_origin;
        request.expected_kind = payload_kind_for_path(planned.path);
        request.zipped_member = planned.source.zipped_member;
        request.post_body = planned.source.post_body;
        request.served_md5 = planned.source.served_md5;
        request.own_redirects = planned.source.own_redirects;
        if (!planned.source.member_checksums.empty()) {
            // A series zip: its members are checked after download; its own size is known to nobody
            // (the API's size counts the files inside, and it is streamed with no Content-Length).
            request.destination = series_archive_path(destination, planned.path);
            request.expected_size.reset();
            request.expected_kind = PayloadKind::zip;
        }
        requests.push_back(std::move(request));
        request_file.push_back(i);
    }

    auto outcomes = (*session)->transfer(requests, options.download, progress);
    std::map<std::size_t, std::unique_ptr<ProviderClient>> clients;
    for (std::size_t r = 0; r < outcomes.size(); ++r) {
        const PlannedFile& planned = plan->files[request_file[r]];
        FileResult& result = results[request_file[r]];
        TransferOutcome& outcome = outcomes[r];
        result.status = outcome.status;
        result.bytes = outcome.size;
        result.bytes_received = outcome.bytes_received;
        result.digests = outcome.digests;
        result.error = outcome.error;
        result.digest_origin = planned.digest_origin;
        result.served_revision = outcome.served_revision;
        for (const auto& warning : outcome.warnings) {
            // The engine's warnings usually name the file already.
            bool named = warning.rfind(planned.path + ": ", 0) == 0;
            report.warnings.push_back(named ? warning : planned.path + ": " + warning);
        }
        if (outcome.status != TransferStatus::downloaded) {
            if (result.error && options.no_origin) {
                // Only mirrors were asked: the provider's advice about its own server does not apply.
                result.error->note(
                    "only mirrors were asked (--no-origin or CXRCAT_NO_ORIGIN=1) and none had a "
                    "verified copy; add a mirror that has it (cxrcat mirror export) or allow the origin");
            } else if (result.error) {
                // The provider knows what a 403 means for its datasets.
                const Source& source = dataset.sources[planned.source_index];
                auto& client = clients[planned.source_index];
                if (!client) {
                    client = make_provider_client(source.provider, options.providers);
                }
                if (client) {
                    Error explained = client->explain(dataset, source, *result.error);
                    if (!explained.http() && result.error->http()) {
                        explained.with_http(*result.error->http()); // the engine's facts outlive the rewording
                    }
                    result.error = std::move(explained);
                }
            }
            continue;
        }
        if (!planned.source.member_checksums.empty()) {
            install_series_archive(dataset, planned, series_archive_path(destination, planned.path), destination, state,
                                   options, result, now);
            continue;
        }
        record_installed(dataset, planned, outcome.size, outcome.digests, destination, **session, options, result, now);
    }
    warn_of_mixed_revisions(results, report.warnings);
    // Archives that were verified earlier but never extracted (a run stopped in between).
    for (std::size_t i = 0; i < plan->files.size(); ++i) {
        const PlannedFile& planned = plan->files[i];
        if (results[i].status == TransferStatus::skipped && planned.extract &&
            !state.is_extracted_for(planned.path, options.members ? &*options.members : nullptr)) {
            extract_into_place(dataset, planned, destination, state, options, results[i], now);
        }
    }
    extract_split_archives(dataset, *plan, results, state, options, now, report.warnings);
    // A shard writes only its own journal: shards running at once never overwrite each other's records.
    const ShardSpec& shard = options.selection.shard;
    if (auto saved = (*session)->save_state(shard.active() ? shard.tag() : ""); !saved) {
        bool any_failed = std::any_of(results.begin(), results.end(),
                                      [](const FileResult& file) { return file.status == TransferStatus::failed; });
        if (!any_failed) {
            return saved.error();
        }
        // A file's own error (often the same full disk) says more than the state's: keep both.
        report.warnings.push_back("could not save the state of " + dataset.id + ": " + saved.error().message());
    }
    report.files = std::move(results);
    if (report.ok()) {
        if (auto written = (*session)->write_files(provenance_files(dataset, state, report, options)); !written) {
            report.warnings.push_back("could not write the provenance files: " + written.error().message());
        }
    }
    return report;
}

} // namespace cxrcat
