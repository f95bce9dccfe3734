// SPDX-License-Identifier: Apache-2.0
// What a fetch is asked to do (FetchOptions), what it plans (PlannedFile, FetchPlan) and what it did
// (FileResult, FetchReport): the values that planning, the stores and provenance share, below the
// fetch operation itself (cxrcat/fetch/fetch.hpp).
#pragma once

#include "cxrcat/base/paths.hpp"
#include "cxrcat/base/result.hpp"
#include "cxrcat/catalog/dataset.hpp"
#include "cxrcat/net/download.hpp"
#include "cxrcat/plan/selection.hpp"
#include "cxrcat/providers/provider.hpp"
#include "cxrcat/state/lock_file.hpp"

#include <functional>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace cxrcat {

struct FetchOptions {
    std::vector<std::string> include; // globs over file paths (or their last component)
    std::vector<std::string> exclude;
    Selection selection; // --files-from, --where, --sample, --shard
    bool extract = true;
    bool keep_archives = false;
    // fetch --where on the labels of a dataset shipped in archives: the dataset paths of the archive
    // members to install; the others are skipped while extracting (nullopt: every member).
    std::optional<std::set<std::string>> members;
    // --max-expansion: an archive without a declared extracted size may produce this many times its
    // own size before it is refused as a compression bomb.
    double max_expansion = 100.0;
    // --decode: every image file is checked by its format (as verify --decode) before it counts as
    // installed; one that fails is not installed unless the catalog lists it as an erratum. An
    // archive's image members are checked once staged: one that fails is left out, the others are
    // installed. A bucket install (--to) refuses it: its bytes never touch the disk.
    bool decode = false;
    DownloadOptions download;
    ProviderContext providers;
    std::optional<std::filesystem::path> from; // --from: files a person downloaded (registration route)
    std::string source;                        // --source PROVIDER: which of alternative sources to use
    std::vector<std::string> mirrors;          // base URLs tried before the origin, looked up by content
                                               // (http(s):// or s3://bucket/prefix, signed per S3Settings)
    bool request_payer = false;                // --request-payer: s3:// mirrors bill the requester
    bool no_origin = false;                    // never contact the upstream servers (air-gapped CI)
    std::string to;                            // --to s3://bucket/prefix: install into a bucket ("" = local)
    std::optional<std::string> group;          // --group / CXRCAT_GROUP: the install belongs to this Unix group
    const LockedDataset* pinned = nullptr;     // sync: files in the lock must keep their bytes
    bool frozen = false;                       // sync --frozen: and the file set must be exactly the lock's
    // For the provenance bundle written beside the dataset (TERMS.txt, SOURCE.json).
    std::string accepted_at;
    std::string catalog_sha256;
    std::string holder_description = "cxrcat";            // written into the lock for a waiting process
    std::function<void(const std::string&)> on_lock_wait; // told who holds the lock
};

// One file fetch will handle: where it comes from (a URL, or a local file given with --from) and
// what it must match.
struct PlannedFile {
    std::string path;
    std::string url;                            // redacted, for display ("" for a local file)
    ResolvedFile source;                        // URLs, credentials, size and digests
    std::optional<std::filesystem::path> local; // --from: the user's file (never moved or modified)
    std::optional<std::uint64_t> size;
    std::map<DigestAlgorithm, std::string> digests; // published, provider-given, or recorded at first download
    std::string digest_origin;                      // where the digests come from, or "" (none known yet)
    bool extract = false;
    std::optional<std::uint64_t> extracted_size; // the archive's declared extracted size, where stated
    std::string split_archive;                   // when extracting: the split archive this file is a part of, else ""
    bool verified = false;                       // already installed and intact: will be skipped
    std::optional<Error> unavailable;  // the provider cannot serve it as catalogued: fails alone, with this error
    std::size_t source_index = 0;      // which of the dataset's sources it belongs to
    std::size_t extracted_entries = 0; // files an extraction creates, where known (an earlier extraction)
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
    std::uint64_t inodes_needed = 0;          // files (and known extracted entries) the fetch will create
    std::optional<std::uint64_t> free_inodes; // statvfs f_favail where the dataset lives
    ShardSpec shard;                          // the shard this plan holds (count 1: every selected file)
    std::size_t selected_files = 0;           // files of the whole selection, before sharding
    std::uint64_t selected_bytes = 0;         // their known sizes
    std::vector<std::string> manual_steps;    // non-empty when part of the dataset needs a person
    std::vector<std::string> missing_local;   // listed files --from did not contain
    // What each alternative manual source expects, when none is complete under --from (or no
    // --from was given): "source 2 'legacy-small' (...) expects: ...; not under --from: ...".
    std::vector<std::string> local_alternatives;
    std::vector<std::string> warnings; // fallbacks to an alternative source, provider warnings
};

// The result for one file.
struct FileResult {
    std::string path;
    TransferStatus status = TransferStatus::failed;
    std::uint64_t bytes = 0;          // size of the installed file
    std::uint64_t bytes_received = 0; // over the network
    std::map<DigestAlgorithm, std::string> digests;
    std::optional<Error> error;
    std::vector<std::string> notes; // e.g. "no published checksum: recorded SHA-256 ..."
    std::string digest_origin;      // where the checked digests came from
    std::size_t extracted_files = 0;
    std::size_t members_not_selected = 0; // of an archive extracted for --where on labels: members skipped
    std::string served_revision;          // the commit the origin served the file from, when it said (Hub)
};

struct FetchReport {
    std::string dataset_id;
    std::filesystem::path destination;
    std::vector<FileResult> files;
    std::vector<std::string> warnings;
    std::vector<std::string> manual_steps;       // parts a person must download (registration route)
    std::vector<std::string> missing_local;      // listed files that --from did not contain
    std::vector<std::string> local_alternatives; // as FetchPlan::local_alternatives

    // ok when no file failed.
    [[nodiscard]] bool ok() const;
    // The first failed file's error code, else ok.
    [[nodiscard]] ErrorCode error_code() const;
};

} // namespace cxrcat
