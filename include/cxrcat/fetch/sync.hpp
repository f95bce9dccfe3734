// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "cxrcat/catalog/catalog.hpp"
#include "cxrcat/fetch/fetch.hpp"
#include "cxrcat/state/lock_file.hpp"
#include "cxrcat/plan/manifest.hpp"

#include <functional>

namespace cxrcat {

struct SyncOptions {
    bool frozen = false;                // use only cxrcat.lock: fail on any difference, never rewrite it
    bool offline = false;               // no network at all: check what is installed against the lock
    FetchOptions fetch;                 // jobs, mirrors, --no-origin, CA bundle, providers, --shard...
    bool selection_flags_given = false; // fetch.selection's files_from/where/sample override the manifest's
    // Called before anything is downloaded for a dataset: the terms must be accepted.
    std::function<Result<void>(const Dataset&)> ensure_terms;
};

struct SyncDatasetResult {
    std::string id;
    std::optional<FetchReport> report; // when fetch ran; when up to date, the locked files (all skipped)
    std::optional<Error> error;        // the dataset's failure, if any
    bool up_to_date = false;           // everything in the lock was installed and intact: no request made
    std::vector<std::string> missing;  // --offline: locked files not installed (or changed)
};

struct SyncReport {
    std::vector<SyncDatasetResult> datasets;
    bool lock_written = false;
    std::filesystem::path lock_path;

    // The first failed dataset's error code, else ok.
    [[nodiscard]] ErrorCode error_code() const;
};

// Brings every dataset of the manifest to the state the lock describes (or, without a lock, to
// what the catalog and the providers serve, then writes the lock). Idempotent: a complete install
// whose lock is unchanged makes no network request at all.
[[nodiscard]] Result<SyncReport> sync_manifest(const Manifest& manifest, const Catalog& catalog, const Paths& paths,
                                               const SyncOptions& options, ProgressSink* progress);

} // namespace cxrcat
