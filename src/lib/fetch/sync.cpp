// SPDX-License-Identifier: Apache-2.0
// sync: the manifest's datasets, exactly as cxrcat.lock records them.
#include "cxrcat/fetch/sync.hpp"

#include "cxrcat/state/dataset_state.hpp"
#include "cxrcat/store/install_store.hpp"
#include "cxrcat/access/terms_ledger.hpp"

#include <algorithm>

namespace cxrcat {

namespace {

using nlohmann::json;

// The sources as the lock records them: provider and parameters, not the file lists.
json locked_sources(const Dataset& dataset) {
    json out = json::array();
    for (const auto& source : dataset.sources) {
        json item = {{"provider", to_string(source.provider)}};
        for (const auto& [key, value] : source.params) {
            item[key] = value;
        }
        out.push_back(item);
    }
    return out;
}

// Digests of a locked file as the state knows them (an extracted and deleted archive included).
std::optional<LockedFile> installed_as(const DatasetState& state, const std::string& path) {
    if (auto file = state.files.find(path); file != state.files.end() && state.is_intact(path)) {
        return LockedFile{file->second.size, file->second.digests, ""};
    }
    if (auto archive = state.archives.find(path); archive != state.archives.end() && state.is_extracted(path)) {
        return LockedFile{archive->second.size, archive->second.digests, ""};
    }
    return std::nullopt;
}

// The manifest's choice of files as the lock records it: an empty object for every file with the
// catalog's extract setting.
json selection_of(const ManifestEntry& wanted) {
    json out = json::object();
    if (!wanted.include.empty()) {
        out["include"] = wanted.include;
    }
    if (!wanted.exclude.empty()) {
        out["exclude"] = wanted.exclude;
    }
    if (wanted.extract) {
        out["extract"] = *wanted.extract;
    }
    out.update(wanted.selection.to_json());
    return out;
}

// Locked files that are not installed with exactly the locked bytes.
std::vector<std::string> missing_from(const LockedDataset& locked, const DatasetState& state) {
    std::vector<std::string> missing;
    for (const auto& [path, file] : locked.files) {
        auto installed = installed_as(state, path);
        bool same = installed && installed->size == file.size;
        for (const auto& [algorithm, hex] : file.digests) {
            if (!same) {
                break;
            }
            auto it = installed->digests.find(algorithm);
            if (it != installed->digests.end() && it->second != hex) {
                same = false;
            }
        }
        if (!same) {
            missing.push_back(path);
        }
    }
    return missing;
}

LockedDataset lock_entry(const Dataset& dataset, const json& selection, const FetchReport& report,
                         const DatasetState& state, const LockedDataset* previous) {
    LockedDataset entry;
    entry.entry_sha256 = entry_digest(dataset.raw);
    entry.terms_sha256 = terms_digest(dataset);
    entry.sources = locked_sources(dataset);
    entry.selection = selection;
    for (const auto& file : report.files) {
        if (file.status == TransferStatus::failed) {
            continue;
        }
        auto installed = installed_as(state, file.path);
        LockedFile locked{file.bytes, file.digests, file.digest_origin};
        if (installed) {
            locked.size = installed->size;
            for (const auto& [algorithm, hex] : installed->digests) {
                locked.digests[algorithm] = hex;
            }
        }
        // Bytes the lock already knew keep where their digests came from (checked against the lock,
        // they would otherwise read "pinned in cxrcat.lock" and rewrite an unchanged lock).
        if (previous != nullptr) {
            if (auto before = previous->files.find(file.path);
                before != previous->files.end() && before->second.size == locked.size) {
                bool same = std::all_of(before->second.digests.begin(), before->second.digests.end(),
                                        [&locked](const auto& digest) {
                                            auto it = locked.digests.find(digest.first);
                                            return it != locked.digests.end() && it->second == digest.second;
                                        });
                if (same) {
                    locked.origin = before->second.origin;
                }
            }
        }
        entry.files[file.path] = std::move(locked);
    }
    return entry;
}

// An up-to-date dataset's files as fetch reports files it skips: what the lock says is installed.
FetchReport up_to_date_report(const Dataset& dataset, const InstallStore& store, const LockedDataset& locked) {
    FetchReport report;
    report.dataset_id = dataset.id;
    report.destination = store.destination(dataset.id);
    for (const auto& [path, file] : locked.files) {
        FileResult skipped;
        skipped.path = path;
        skipped.status = TransferStatus::skipped;
        skipped.bytes = file.size;
        skipped.digests = file.digests;
        skipped.digest_origin = file.origin;
        report.files.push_back(std::move(skipped));
    }
    return report;
}

SyncDatasetResult sync_one(ManifestEntry wanted, const Catalog& catalog, const Paths& paths, const InstallStore& store,
                           const SyncOptions& options, const std::optional<LockFile>& lock, LockFile& next,
                           ProgressSink* progress) {
    SyncDatasetResult result;
    result.id = wanted.id;
    if (options.selection_flags_given) {
        wanted.selection.files_from = options.fetch.selection.files_from;
        wanted.selection.where = options.fetch.selection.where;
        wanted.selection.sample = options.fetch.selection.sample;
        wanted.selection.seed = options.fetch.selection.seed;
    }
    const Dataset* dataset = catalog.find(wanted.id);
    if (dataset == nullptr) {
        result.error = Error(ErrorCode::not_found, "unknown dataset '" + wanted.id + "' in the manifest");
        return result;
    }
    result.id = dataset->id;
    const LockedDataset* locked = nullptr;
    if (lock) {
        if (auto it = lock->datasets.find(dataset->id); it != lock->datasets.end()) {
            locked = &it->second;
        }
    }
    bool entry_unchanged = locked != nullptr && locked->entry_sha256 == entry_digest(dataset->raw);
    json selection = selection_of(wanted);
    bool selection_unchanged = locked != nullptr && locked->selection == selection;
    if ((options.frozen || options.offline) && locked == nullptr) {
        result.error = Error(ErrorCode::integrity, dataset->id + " is not in cxrcat.lock",
                             {"run 'cxrcat sync' (without --frozen/--offline) to add it"});
        return result;
    }
    if (options.frozen && !entry_unchanged) {
        result.error =
            Error(ErrorCode::integrity, dataset->id + ": its catalog entry changed since cxrcat.lock was written",
                  {"locked entry sha256 " + locked->entry_sha256, "current entry sha256 " + entry_digest(dataset->raw),
                   "the lock was not changed; run 'cxrcat sync' without --frozen to review the change"});
        return result;
    }
    if ((options.frozen || options.offline) && !selection_unchanged) {
        // The lock describes other files than the manifest now asks for.
        result.error =
            Error(ErrorCode::integrity,
                  dataset->id + ": its include/exclude/extract in the manifest changed since cxrcat.lock was written",
                  {"locked selection " + locked->selection.dump(), "manifest selection " + selection.dump(),
                   "the lock was not changed; run 'cxrcat sync' without --frozen/--offline to apply it"});
        return result;
    }
    DatasetState state = store.load_state(dataset->id);
    if (locked != nullptr) {
        result.missing = missing_from(*locked, state);
        if (result.missing.empty() && selection_unchanged && (entry_unchanged || options.offline)) {
            result.up_to_date = true; // nothing to do, and no request made
            result.report = up_to_date_report(*dataset, store, *locked);
            next.datasets[dataset->id] = *locked;
            return result;
        }
        if (options.offline) {
            Error error(ErrorCode::integrity, dataset->id + ": " + std::to_string(result.missing.size()) +
                                                  " locked file(s) missing or changed (offline: nothing was fetched)");
            for (const auto& path : result.missing) {
                error.note("missing: " + path);
            }
            result.error = std::move(error);
            next.datasets[dataset->id] = *locked;
            return result;
        }
    }
    if (options.ensure_terms) {
        if (auto accepted = options.ensure_terms(*dataset); !accepted) {
            result.error = accepted.error();
            if (locked != nullptr) {
                next.datasets[dataset->id] = *locked;
            }
            return result;
        }
    }
    FetchOptions fetch = options.fetch;
    TermsLedger ledger = TermsLedger::open(paths.terms_ledger());
    if (const Acceptance* acceptance = ledger.find(dataset->id)) {
        fetch.accepted_at = acceptance->accepted_at; // for TERMS.txt
    }
    fetch.include = wanted.include;
    fetch.exclude = wanted.exclude;
    fetch.selection = wanted.selection;
    fetch.selection.shard = options.fetch.selection.shard;
    if (wanted.extract) {
        fetch.extract = *wanted.extract;
    }
    fetch.pinned = locked;
    fetch.frozen = options.frozen;
    auto report = fetch_dataset(*dataset, paths, fetch, progress);
    if (!report) {
        result.error = report.error();
        if (locked != nullptr) {
            next.datasets[dataset->id] = *locked;
        }
        return result;
    }
    if (!report->ok()) {
        for (const auto& file : report->files) {
            if (file.error) {
                result.error = *file.error;
                break;
            }
        }
        // A lock entry always describes a complete sync: after a failure the lock keeps what it said
        // before (nothing, the first time), so that the next run retries what failed instead of
        // finding a partial install "up to date". What did arrive stays installed and is not fetched again.
        if (locked != nullptr) {
            next.datasets[dataset->id] = *locked;
        }
        result.report = std::move(*report);
        return result;
    }
    DatasetState after = store.load_state(dataset->id);
    next.datasets[dataset->id] = lock_entry(*dataset, selection, *report, after, locked);
    result.report = std::move(*report);
    return result;
}

} // namespace

ErrorCode SyncReport::error_code() const {
    for (const auto& dataset : datasets) {
        if (dataset.error) {
            return dataset.error->code();
        }
    }
    return ErrorCode::ok;
}

Result<SyncReport> sync_manifest(const Manifest& manifest, const Catalog& catalog, const Paths& paths,
                                 const SyncOptions& options, ProgressSink* progress) {
    SyncReport report;
    report.lock_path = manifest.lock_path();
    auto lock = LockFile::read(report.lock_path);
    if (!lock) {
        return lock.error();
    }
    if ((options.frozen || options.offline) && !*lock) {
        return Error(ErrorCode::integrity, "no cxrcat.lock beside " + manifest.path.string(),
                     {"--frozen and --offline use only the lock; run 'cxrcat sync' once to write it"});
    }
    // Where the datasets land (--to): the same store fetch will use, for the up-to-date checks.
    auto store = make_install_store(paths, options.fetch);
    if (!store) {
        return store.error();
    }
    LockFile next;
    next.catalog_sha256 = catalog.digest();
    if (*lock) {
        // Datasets dropped from the manifest leave the lock; the rest is rebuilt below.
        next.format = (*lock)->format;
    }
    for (const auto& wanted : manifest.datasets) {
        report.datasets.push_back(sync_one(wanted, catalog, paths, **store, options, *lock, next, progress));
    }
    // A shard saw part of each dataset: the lock, which describes complete syncs, is left as it was
    // (an unsharded sync afterwards finds every shard's files installed and writes it).
    if (!options.frozen && !options.offline && !options.fetch.selection.shard.active()) {
        bool same = *lock && (*lock)->to_text() == next.to_text();
        if (!same) {
            if (auto written = next.write(report.lock_path); !written) {
                return written.error();
            }
            report.lock_written = true;
        }
    }
    return report;
}

} // namespace cxrcat
