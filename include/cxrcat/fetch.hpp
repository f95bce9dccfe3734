// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "cxrcat/dataset.hpp"
#include "cxrcat/download.hpp"
#include "cxrcat/paths.hpp"
#include "cxrcat/result.hpp"

#include <functional>
#include <string>
#include <vector>

namespace cxrcat {

struct FetchOptions {
    std::vector<std::string> include; // globs over file paths (or their last component)
    std::vector<std::string> exclude;
    bool extract = true;
    bool keep_archives = false;
    DownloadOptions download;
    std::string holder_description = "cxrcat";      // written into the lock for a waiting process
    std::function<void(const std::string&)> on_lock_wait; // told who holds the lock
};

// One file the catalog lists, as fetch sees it.
struct PlannedFile {
    std::string path;
    std::string url;                 // redacted, for display
    std::optional<std::uint64_t> size;
    std::map<DigestAlgorithm, std::string> digests; // published, or recorded at first download
    std::string digest_origin;       // "published", "recorded at first download on ...", or "" (none)
    bool extract = false;
    bool verified = false;           // already installed and intact: will be skipped
};

// What fetch would do, for --dry-run and the free-space check.
struct FetchPlan {
    std::string dataset_id;
    std::filesystem::path destination;
    std::vector<PlannedFile> files;
    std::uint64_t bytes_to_download = 0; // known sizes of files not yet verified, minus resumable parts
    std::size_t unknown_sizes = 0;       // files to download whose size the catalog does not know
    std::uint64_t bytes_needed = 0;      // download + room to extract
    std::optional<std::uint64_t> free_bytes;
    std::vector<std::string> manual_steps; // non-empty when part of the dataset needs a person
};

// The result for one file.
struct FileResult {
    std::string path;
    TransferStatus status = TransferStatus::failed;
    std::uint64_t bytes = 0;          // size of the installed file
    std::uint64_t bytes_received = 0; // over the network
    std::map<DigestAlgorithm, std::string> digests;
    std::optional<Error> error;
    std::vector<std::string> notes;   // e.g. "no published checksum: recorded SHA-256 ..."
    std::size_t extracted_files = 0;
};

struct FetchReport {
    std::string dataset_id;
    std::filesystem::path destination;
    std::vector<FileResult> files;
    std::vector<std::string> warnings;
    std::vector<std::string> manual_steps; // parts a person must download (registration route)

    // ok when no file failed.
    [[nodiscard]] bool ok() const;
    // The first failed file's error code, else ok.
    [[nodiscard]] ErrorCode error_code() const;
};

// Lists the files fetch would handle (include/exclude applied), what is already verified, sizes
// and free space. Errors: a source route this build cannot download (see the error text).
[[nodiscard]] Result<FetchPlan> plan_fetch(const Dataset& dataset, const Paths& paths, const FetchOptions& options);

// Downloads, verifies, installs and (optionally) extracts every planned file that is not already
// verified, under the dataset lock. Refuses to start (local_io) when the files will not fit.
[[nodiscard]] Result<FetchReport> fetch_dataset(const Dataset& dataset, const Paths& paths,
                                                const FetchOptions& options, ProgressSink* progress);

// True when path (or its last component) matches the glob.
[[nodiscard]] bool path_matches_glob(const std::string& path, const std::string& glob);

} // namespace cxrcat
