// SPDX-License-Identifier: Apache-2.0
// fetch: plan what is missing, download it through the engine, verify, install, extract, and
// remember what is installed so that a rerun is instant.
#include "cxrcat/fetch.hpp"

#include "cxrcat/dataset_state.hpp"
#include "cxrcat/extract.hpp"
#include "cxrcat/install_mode.hpp"
#include "cxrcat/install_store.hpp"
#include "cxrcat/redacted_url.hpp"
#include "cxrcat/s3_settings.hpp"
#include "cxrcat/source_selection.hpp"
#include "cxrcat/terms_ledger.hpp"
#include "cxrcat/text.hpp"
#include "file_hash.hpp"
#include "manual_alternatives.hpp"
#include "plan_selection.hpp"
#include "provenance.hpp"
#include "series_archive.hpp"
#include "split_archives.hpp"

#include <algorithm>
#include <fnmatch.h>
#include <set>
#include <unordered_map>

namespace cxrcat {

namespace {

bool selected(const std::string& path, const FetchOptions& options) {
    auto matches_any = [&](const std::vector<std::string>& globs) {
        return std::any_of(globs.begin(), globs.end(),
                           [&](const std::string& glob) { return path_matches_glob(path, glob); });
    };
    return (options.include.empty() || matches_any(options.include)) && !matches_any(options.exclude);
}

// Whether a series directory (an IDC or TCIA series, before its files are listed) may hold selected
// files: an exclude glob that matches the directory drops it; with --include, a glob must match the
// directory, its first path segment must, or it has no '/' (it may name a file inside). A series that
// is fetched whole (one zip: whole) is never listed, so a glob with no '/' must match the directory.
bool series_selected(const std::string& series, const FetchOptions& options, bool whole = false) {
    auto matches = [&](const std::string& glob) {
        return ::fnmatch(glob.c_str(), series.c_str(), 0) == 0 ||
               ::fnmatch(glob.c_str(), (series + "/").c_str(), 0) == 0;
    };
    if (std::any_of(options.exclude.begin(), options.exclude.end(), matches)) {
        return false; // "<series>" or "<series>/*"
    }
    return options.include.empty() ||
           std::any_of(options.include.begin(), options.include.end(), [&](const std::string& glob) {
               std::size_t slash = glob.find('/');
               return (slash == std::string::npos && !whole) || matches(glob) ||
                      (slash != std::string::npos && matches(glob.substr(0, slash)));
           });
}

Error unsupported_route(const Dataset& dataset, const Source& source) {
    Error error(ErrorCode::internal, dataset.id + ": cxrcat cannot download from '" +
                                         std::string(to_string(source.provider)) + "' sources yet");
    error.note("access route: " + std::string(to_string(dataset.access.access_class)) + " — " +
               std::string(explain(dataset.access.access_class)));
    for (std::size_t i = 0; i < dataset.access.steps.size(); ++i) {
        error.note(std::to_string(i + 1) + ". " + dataset.access.steps[i]);
    }
    return error;
}

Error restricted(const Dataset& dataset) {
    Error error(ErrorCode::access_denied,
                dataset.id + " is restricted: " + std::string(explain(AccessClass::restricted)));
    if (!dataset.access.grantor.empty()) {
        error.note("access is granted by: " + dataset.access.grantor);
    }
    for (std::size_t i = 0; i < dataset.access.steps.size(); ++i) {
        error.note(std::to_string(i + 1) + ". " + dataset.access.steps[i]);
    }
    error.note("terms: " + dataset.access.terms_url);
    return error;
}

// Every regular file under root (or root itself), as paths relative to root.
std::vector<std::filesystem::path> local_files(const std::filesystem::path& root) {
    std::vector<std::filesystem::path> files;
    std::error_code ec;
    if (std::filesystem::is_regular_file(root, ec)) {
        files.push_back(root.filename());
        return files;
    }
    for (std::filesystem::recursive_directory_iterator it(root, ec), end; !ec && it != end; it.increment(ec)) {
        if (it->is_regular_file(ec)) {
            files.push_back(std::filesystem::relative(it->path(), root, ec));
        }
    }
    std::sort(files.begin(), files.end());
    return files;
}

std::filesystem::path local_path(const std::filesystem::path& root, const std::filesystem::path& relative) {
    return std::filesystem::is_regular_file(root) ? root : root / relative;
}

void add_planned(FetchPlan& plan, PlannedFile planned, const DatasetState& state) {
    if (auto recorded = state.recorded.find(planned.path);
        recorded != state.recorded.end() && planned.digests.empty()) {
        planned.digests[DigestAlgorithm::sha256] = recorded->second.sha256;
        planned.digest_origin = "recorded at first download on " + recorded->second.recorded_at;
        if (!planned.size) {
            planned.size = recorded->second.size;
        }
    }
    // A part of a split archive that was extracted (and then removed) needs nothing either.
    planned.verified = state.is_intact(planned.path) || (planned.extract && state.is_extracted(planned.path)) ||
                       (!planned.split_archive.empty() && state.is_extracted(planned.split_archive));
    plan.files.push_back(std::move(planned)); // totals are counted by finish_plan, after the selection
}

// One manual source under --from: the listed files found there are installed, the others are
// reported missing; a source that lists none installs every file given, layout kept.
void plan_manual_source(std::size_t index, const FetchOptions& options, const std::vector<std::filesystem::path>& found,
                        const DatasetState& state, FetchPlan& plan, bool& unlisted_done, const Source& source) {
    if (source.files.empty()) {
        if (unlisted_done) {
            return;
        }
        unlisted_done = true;
        for (const auto& relative : found) {
            PlannedFile planned;
            planned.path = relative.generic_string();
            planned.local = local_path(*options.from, relative);
            planned.source_index = index;
            add_planned(plan, std::move(planned), state);
        }
        return;
    }
    for (const auto& file : source.files) {
        if (!selected(file.path, options)) {
            continue;
        }
        std::string name = std::filesystem::path(file.path).filename().string();
        auto match = std::find_if(found.begin(), found.end(), [&](const std::filesystem::path& candidate) {
            return candidate.filename().string() == name;
        });
        if (match == found.end()) {
            plan.missing_local.push_back(file.path);
            continue;
        }
        PlannedFile planned;
        planned.path = file.path;
        planned.local = local_path(*options.from, *match);
        planned.size = file.size;
        planned.digests = file.digests;
        planned.digest_origin = file.digests.empty() ? "" : "published in the catalog";
        planned.extract = file.extract && options.extract;
        planned.source_index = index;
        add_planned(plan, std::move(planned), state);
    }
}

// The manual (registration) sources: files found under --from are installed, the rest is a step
// for the person. Of alternatives, --from adopts the first whose files are all there (--source
// NAME picks one), says which on stderr, and when none is complete lists what each expects.
void plan_manual(const Dataset& dataset, const FetchOptions& options, const DatasetState& state, FetchPlan& plan,
                 bool& unlisted_done) {
    auto steps = [&] {
        if (plan.manual_steps.empty()) {
            plan.manual_steps = dataset.access.steps;
        }
        if (plan.manual_steps.empty()) {
            plan.manual_steps.push_back("download the files by hand from " + dataset.homepage);
        }
    };
    auto is_selected = [&options](const std::string& path) { return selected(path, options); };
    std::vector<std::filesystem::path> found =
        options.from ? local_files(*options.from) : std::vector<std::filesystem::path>{};
    for (const auto& group : manual_source_groups(dataset, options.source)) {
        std::vector<LocalMatch> matches;
        for (std::size_t index : group) {
            matches.push_back(match_local_files(dataset.sources[index], index, found, is_selected));
        }
        if (!options.from) {
            // A part the --include/--exclude globs leave out needs no hand work: a source that lists
            // its files is wanted when one of them is selected; one that lists none, unless --include
            // narrows the fetch to named files.
            bool wanted = std::any_of(matches.begin(), matches.end(), [&](const LocalMatch& match) {
                return dataset.sources[match.index].files.empty() ? options.include.empty() : !match.expected.empty();
            });
            if (wanted) {
                steps();
                for (const auto& match : matches) {
                    if (group.size() > 1) {
                        plan.local_alternatives.push_back(describe_local_alternative(dataset, match, false));
                    }
                }
            }
            continue;
        }
        const LocalMatch* used = &matches.front();
        bool complete = used->missing.empty();
        if (group.size() > 1) {
            AlternativeChoice choice = choose_local_alternative(matches);
            if (!choice.complete) {
                steps();
                for (const auto& match : matches) {
                    plan.local_alternatives.push_back(describe_local_alternative(dataset, match, true));
                }
            }
            if (!choice.adopted) {
                continue;
            }
            used = &matches[*choice.adopted];
            complete = choice.complete;
        }
        std::size_t index = used->index;
        const Source& source = dataset.sources[index];
        if (!source.alternative.empty() && used->missing.size() < used->expected.size()) {
            // Which of the alternatives is used, also when --source NAME picked it.
            plan.warnings.push_back(dataset.id + ": --from " + options.from->string() + " holds " +
                                    (complete ? "the files" : "some of the files") + " of source " +
                                    std::to_string(index + 1) + (source.name.empty() ? "" : " '" + source.name + "'") +
                                    (source.label.empty() ? "" : " (" + source.label + ")") + ": using it");
        }
        plan_manual_source(index, options, found, state, plan, unlisted_done, dataset.sources[index]);
        if (!plan.missing_local.empty()) {
            steps();
        }
    }
}

// sync --frozen: the planned files must be exactly the locked ones, with the locked digests.
Result<void> apply_pins(FetchPlan& plan, const LockedDataset& pinned, const Dataset& dataset, bool frozen) {
    std::vector<std::string> diff;
    std::set<std::string> seen;
    for (auto& planned : plan.files) {
        seen.insert(planned.path);
        auto locked = pinned.files.find(planned.path);
        if (locked == pinned.files.end()) {
            if (frozen) {
                diff.push_back("+ " + planned.path + " (upstream has it, the lock does not)");
            }
            continue;
        }
        if (planned.size && *planned.size != locked->second.size) {
            diff.push_back("~ " + planned.path + ": size " + std::to_string(locked->second.size) + " in the lock, " +
                           std::to_string(*planned.size) + " now");
        }
        for (const auto& [algorithm, hex] : planned.digests) {
            auto it = locked->second.digests.find(algorithm);
            if (it != locked->second.digests.end() && it->second != hex) {
                diff.push_back("~ " + planned.path + ": " + std::string(to_string(algorithm)) + " " + it->second +
                               " in the lock, " + hex + " now");
            }
        }
        planned.size = locked->second.size;
        for (const auto& [algorithm, hex] : locked->second.digests) {
            planned.digests[algorithm] = hex;
        }
        planned.digest_origin = "pinned in cxrcat.lock";
    }
    for (const auto& [path, locked] : pinned.files) {
        if (frozen && seen.count(path) == 0) {
            diff.push_back("- " + path + " (in the lock, no longer upstream or no longer selected)");
        }
    }
    if (diff.empty()) {
        return {};
    }
    Error error(ErrorCode::integrity,
                dataset.id + ": upstream no longer matches cxrcat.lock" + (frozen ? " (--frozen)" : ""), diff);
    error.note(frozen ? "the lock was not changed; run 'cxrcat sync' without --frozen to review the change"
                      : "nothing was downloaded; if the new bytes are expected, remove the dataset's entry from "
                        "cxrcat.lock and sync again");
    return error;
}

Result<FetchPlan> make_plan(const Dataset& dataset, const InstallStore& store, const FetchOptions& options,
                            const DatasetState& state, bool list_series) {
    if (dataset.access.access_class == AccessClass::restricted) {
        return restricted(dataset);
    }
    FetchPlan plan;
    plan.dataset_id = dataset.id;
    plan.destination = store.destination(dataset.id);
    bool unlisted_done = false;
    plan_manual(dataset, options, state, plan, unlisted_done);
    // Where each path is planned: two sources may not install the same one.
    std::unordered_map<std::string, std::size_t> planned_at;
    for (std::size_t at = 0; at < plan.files.size(); ++at) {
        planned_at.emplace(plan.files[at].path, at);
    }
    auto parts = source_candidates(dataset, options.source);
    if (!parts) {
        return parts.error();
    }
    ProviderContext context = options.providers;
    context.list_series = list_series;
    context.wanted_series = [&options](const std::string& series) { return series_selected(series, options); };
    // Which listed files fetch wants, so a client can drop the rest early (only a saving: what it
    // returns is filtered again). A path counts when it, or it under any source's directory, is selected.
    std::vector<std::string> directories;
    for (const auto& source : dataset.sources) {
        if (std::string directory = source.param("directory"); !directory.empty()) {
            directories.push_back(directory + "/");
        }
    }
    context.selected = [&options, directories, prefixed = std::string()](const std::string& path) mutable {
        if (selected(path, options)) {
            return true;
        }
        return std::any_of(directories.begin(), directories.end(), [&](const std::string& directory) {
            prefixed.assign(directory).append(path);
            return selected(prefixed, options);
        });
    };
    for (const auto& candidates : *parts) {
        auto resolved = resolve_first_reachable(dataset, candidates, context, plan.warnings);
        if (!resolved) {
            const Source& source = dataset.sources[candidates.back()];
            return resolved.error().code() == ErrorCode::internal && !make_provider_client(source.provider, context)
                       ? unsupported_route(dataset, source)
                       : resolved.error();
        }
        std::size_t index = resolved->index;
        const Source& source = dataset.sources[index];
        std::string directory = source.param("directory");
        auto split_parts = split_archive_parts(source);
        for (auto& file : resolved->files) {
            if (!directory.empty()) {
                file.path = directory + "/" + file.path;
            }
            bool kept = file.series_files > 0 ? series_selected(file.path, options, !file.member_checksums.empty())
                                              : selected(file.path, options);
            if (!kept) {
                continue;
            }
            if (auto [other, added] = planned_at.emplace(file.path, plan.files.size()); !added) {
                PlannedFile& earlier = plan.files[other->second];
                if (!earlier.local) {
                    return Error(ErrorCode::invalid_catalog,
                                 dataset.id + ": sources " + std::to_string(earlier.source_index + 1) + " and " +
                                     std::to_string(index + 1) + " both provide " + file.path,
                                 {"give one of them a \"directory\" in the catalog entry, so their files land apart"});
                }
                // The person supplied it under --from: install theirs, checked against this source.
                if (earlier.digests.empty() && !file.digests.empty()) {
                    earlier.digests = file.digests;
                    earlier.digest_origin = file.digest_origin;
                }
                earlier.size = earlier.size ? earlier.size : file.size;
                continue;
            }
            PlannedFile planned;
            planned.path = file.path;
            planned.url = file.urls.empty() ? "" : RedactedUrl(file.urls.front()).str();
            planned.size = file.size;
            planned.digests = file.digests;
            planned.digest_origin = file.digest_origin;
            // A series zip is only how the series travels: it is always unpacked (and checked).
            planned.extract = (file.extract && options.extract) || !file.member_checksums.empty();
            if (auto part = split_parts.find(file.path); part != split_parts.end() && options.extract) {
                planned.split_archive = part->second;
            }
            planned.source_index = index;
            planned.unavailable = file.unavailable;
            planned.source = std::move(file);
            add_planned(plan, std::move(planned), state);
        }
    }
    if (auto chosen = select_planned_files(plan, dataset, options.selection); !chosen) {
        return chosen.error();
    }
    if (options.pinned != nullptr) {
        if (auto pinned = apply_pins(plan, *options.pinned, dataset, options.frozen); !pinned) {
            return pinned.error();
        }
    }
    finish_plan(plan, options.selection.shard, options.from, state);
    store.adapt_plan(plan);
    return plan;
}

void extract_into_place(const PlannedFile& planned, const std::filesystem::path& destination, DatasetState& state,
                        const FetchOptions& options, FileResult& result, const std::string& now) {
    std::filesystem::path archive = destination / planned.path;
    std::filesystem::path into = archive.parent_path();
    auto extracted = extract_archive(archive, into, fetch_extract_limits(destination, into));
    if (!extracted) {
        result.status = TransferStatus::failed;
        result.error = extracted.error();
        result.error->note("the verified archive is kept at " + archive.string() + "; rerun to extract it again");
        return;
    }
    std::string prefix = std::filesystem::path(planned.path).parent_path().string();
    auto recorded = record_extracted_files(state, planned.path, prefix, *extracted, result.bytes, now);
    if (!recorded) {
        result.status = TransferStatus::failed;
        result.error = recorded.error();
        return;
    }
    ExtractedArchive record = std::move(*recorded);
    record.digests = state.files[planned.path].digests;
    result.extracted_files = extracted->size();
    record.kept = options.keep_archives;
    if (!options.keep_archives) {
        std::error_code ignored;
        std::filesystem::remove(archive, ignored);
        state.files.erase(planned.path);
    }
    // The record is written only now: a half-extracted tree is never taken as done.
    state.archives[planned.path] = std::move(record);
}

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
void record_installed(const PlannedFile& planned, std::uint64_t size,
                      const std::map<DigestAlgorithm, std::string>& digests, const std::filesystem::path& destination,
                      StoreSession& session, const FetchOptions& options, FileResult& result, const std::string& now) {
    DatasetState& state = session.state();
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
        extract_into_place(planned, destination, state, options, result, now);
    }
}

// --from: verifies the user's file, then hard-links (or copies) it into place. The user's file is
// never moved or modified.
void install_local(const PlannedFile& planned, const std::filesystem::path& destination, StoreSession& session,
                   const FetchOptions& options, FileResult& result, const std::string& now) {
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
    record_installed(planned, hashed->size, hashed->digests, destination, session, options, result, now);
}

} // namespace

bool path_matches_glob(const std::string& path, const std::string& glob) {
    if (::fnmatch(glob.c_str(), path.c_str(), 0) == 0) {
        return true;
    }
    std::size_t slash = path.rfind('/');
    if (slash == std::string::npos) {
        return false; // the path is its own last component
    }
    // Called for every line of a listing as it streams in (377,110 for MIMIC-CXR-JPG): one buffer
    // per thread instead of an allocation per call.
    thread_local std::string name;
    name.assign(path, slash + 1);
    return ::fnmatch(glob.c_str(), name.c_str(), 0) == 0;
}

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

Result<FetchPlan> plan_fetch(const Dataset& dataset, const Paths& paths, const FetchOptions& options) {
    auto store = make_install_store(paths, options);
    if (!store) {
        return store.error();
    }
    DatasetState state = (*store)->load_state(dataset.id);
    return make_plan(dataset, **store, options, state, false);
}

Result<FetchReport> fetch_dataset(const Dataset& dataset, const Paths& paths, const FetchOptions& options,
                                  ProgressSink* progress) {
    if (dataset.access.access_class == AccessClass::restricted) {
        return restricted(dataset);
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
    for (std::size_t i = 0; i < plan->files.size(); ++i) {
        const PlannedFile& planned = plan->files[i];
        FileResult& result = results[i];
        result.path = planned.path;
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
            install_local(planned, destination, **session, options, result, now);
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
            install_series_archive(planned, series_archive_path(destination, planned.path), destination, state, result,
                                   now);
            continue;
        }
        record_installed(planned, outcome.size, outcome.digests, destination, **session, options, result, now);
    }
    // Archives that were verified earlier but never extracted (a run stopped in between).
    for (std::size_t i = 0; i < plan->files.size(); ++i) {
        const PlannedFile& planned = plan->files[i];
        if (results[i].status == TransferStatus::skipped && planned.extract && !state.is_extracted(planned.path)) {
            extract_into_place(planned, destination, state, options, results[i], now);
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
