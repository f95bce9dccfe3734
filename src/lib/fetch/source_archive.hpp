// SPDX-License-Identifier: Apache-2.0
// Private to fetch: a whole source downloaded as one zip (Kaggle's DownloadDataFiles) instead of one
// request per file. Every member is checked against the listing (size) and the known digests before
// any of them is installed; an archive the server refuses leaves its files to the per-file requests.
#pragma once

#include "cxrcat/catalog/dataset.hpp"
#include "cxrcat/fetch/fetch.hpp"
#include "cxrcat/store/install_store.hpp"

#include <filesystem>
#include <functional>
#include <set>
#include <string>
#include <vector>

namespace cxrcat {

// Records a file the archive put in place, as fetch records a downloaded one (state, first-download
// digest, extraction of a catalogued archive).
using RecordArchivedFile =
    std::function<void(const PlannedFile& planned, std::uint64_t size,
                       const std::map<DigestAlgorithm, std::string>& digests, FileResult& result)>;

// Where a fetch of plan into destination stands with source archives.
struct SourceArchiveContext {
    const Dataset& dataset;
    const FetchPlan& plan;
    const std::filesystem::path& destination;
    StoreSession& session;
    const FetchOptions& options;
    ProgressSink* progress;
    RecordArchivedFile record;
};

// For each source all of whose planned files carry one archive_url and all need downloading (none
// verified, local, unavailable, part of a split archive, in place or partly downloaded, none with a
// digest other than SHA-256 or MD5): downloads the archive, checks every member and installs them all
// or none. Returns the indices of plan.files it settled (in results: downloaded, or failed with the
// archive's error). An archive the server answered with an HTTP error is reported in warnings and
// its files are left to the caller's per-file requests.
[[nodiscard]] std::set<std::size_t> fetch_source_archives(const SourceArchiveContext& context,
                                                          std::vector<FileResult>& results,
                                                          std::vector<std::string>& warnings);

} // namespace cxrcat
