// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "cxrcat/archive/payload_kind.hpp"
#include "cxrcat/base/digest.hpp"
#include "cxrcat/base/error.hpp"
#include "cxrcat/base/polymorphic_base.hpp"
#include "cxrcat/base/retry_policy.hpp"
#include "cxrcat/base/secret.hpp"

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace cxrcat {

struct BasicAuth {
    std::string user;
    Secret password;
};

// AWS Signature V4 for requests to an S3 endpoint, computed by libcurl itself (CURLOPT_AWS_SIGV4).
struct AwsSigV4 {
    std::string region;
    std::string access_key_id;
    Secret secret_access_key;
    Secret session_token;       // x-amz-security-token when set
    bool request_payer = false; // x-amz-request-payer: requester
};

// One file to download, verify and install at `destination`.
struct TransferRequest {
    std::vector<std::string> urls; // tried in order (mirrors first, origin last)
    std::string resume_url;        // the origin's URL for Range requests, when it differs
    std::size_t mirror_count = 0;  // urls[0, mirror_count) are mirrors: they never get the credentials below
    std::vector<std::pair<std::string, Secret>> secret_headers; // e.g. {"Authorization", "Bearer ..."}
    std::optional<BasicAuth> basic_auth;
    // URLs of `urls` (exact values) that are S3 objects signed with these keys: they get no other
    // credential (secret_headers, basic_auth are the origin's) and follow no redirect.
    std::map<std::string, AwsSigV4> signed_urls;
    std::string user_agent; // overrides DownloadOptions::user_agent when set
    std::filesystem::path destination;
    std::string display_path; // relative path shown to the user
    std::optional<std::uint64_t> expected_size;
    std::map<DigestAlgorithm, std::string> expected_digests;
    std::string digest_origin; // "published", "recorded at first download", ...
    PayloadKind expected_kind = PayloadKind::unknown;
    // When set, the server may send a zip holding only this member (a base name) instead of the
    // file (Kaggle does, for some single files): it is unpacked through extract_archive, the member
    // is checked against expected_size and the digests, and only the member is installed.
    std::string zipped_member;
    // When set, the origin's URL is an RPC method: it is POSTed this JSON body with the origin's
    // credentials and answers with a redirect to the bytes, which libcurl follows as a GET (Kaggle's
    // DownloadDataFile, api-drift-2026.md §6.1). Mirrors still get a plain GET.
    std::string post_body;
    // When no MD5 is expected, the MD5 in the final answer's X-Goog-Hash (Google Cloud Storage) is
    // checked against the received bytes: a mismatch installs nothing.
    bool served_md5 = false;
    // The origin answers with redirects that cxrcat follows itself (the Hugging Face Hub,
    // api-drift-2026.md §5.2): a hop on the origin's host keeps the credentials; the first hop to
    // another host is read for X-Linked-Size and X-Repo-Commit, and the signed URL it names is asked
    // without any credential.
    bool own_redirects = false;
};

enum class TransferStatus { downloaded, skipped, failed };

[[nodiscard]] std::string_view to_string(TransferStatus status);

struct TransferOutcome {
    std::string display_path;
    TransferStatus status = TransferStatus::failed;
    std::uint64_t size = 0;                         // bytes of the installed file
    std::uint64_t bytes_received = 0;               // bytes that crossed the network for it, retries included
    std::map<DigestAlgorithm, std::string> digests; // sha256 always, plus every expected algorithm
    std::optional<Error> error;
    int attempts = 0;
    bool resumed = false;   // continued a .part left by an earlier run or attempt
    bool restarted = false; // a .part was discarded because the remote changed or ignored Range
    int segments = 1;
    std::vector<std::string> warnings; // e.g. a mirror that failed before the next source served the file
    std::string served_revision;       // the commit the origin said it served (X-Repo-Commit), when it said
};

// Receives progress from the download loop (on the calling thread).
class ProgressSink : public PolymorphicBase {
  public:
    virtual void on_start(const std::string& path, std::optional<std::uint64_t> total) = 0;
    // done counts bytes of the file present so far (a resumed part counts from its start).
    virtual void on_progress(const std::string& path, std::uint64_t done, std::optional<std::uint64_t> total) = 0;
    virtual void on_retry(const std::string& path, int attempt, std::chrono::milliseconds delay,
                          const std::string& reason) = 0;
    virtual void on_finish(const TransferOutcome& outcome) = 0;
};

struct DownloadOptions {
    int jobs = 4;     // files in flight at once
    int per_host = 4; // connections per host
    std::optional<std::filesystem::path> ca_bundle;
    RetryPolicy retry;
    long stall_bytes_per_second = 1024; // below this for stall_time = stalled (transient)
    std::chrono::seconds stall_time{30};
    std::chrono::seconds connect_timeout{30};
    int max_segments = 4;                          // connections for one large file (1 = never split)
    std::uint64_t segment_threshold = 64ULL << 20; // only files at least this large are split
    // A file larger than this is asked for with Range only: the Hub serves no plain GET of a file over
    // 50 GB (huggingface_hub constants.MAX_HTTP_DOWNLOAD_SIZE, api-drift-2026.md §5.2).
    std::uint64_t range_only_above = 50'000'000'000ULL;
    std::string user_agent = "cxrcat";
    // Received bytes per second over all connections of the run together (--limit-rate); 0: no cap.
    std::uint64_t max_receive_rate = 0;
};

// Downloads every request: streams into `<destination>.part` while hashing, resumes a part left
// by an earlier run (Range + If-Range), retries transient failures, checks the payload kind, size
// and every expected digest, then fsyncs and renames into place. Nothing is installed unless it
// verified. Returns one outcome per request, in request order; never throws for network or HTTP
// failures.
[[nodiscard]] std::vector<TransferOutcome> download_all(const std::vector<TransferRequest>& requests,
                                                        const DownloadOptions& options, ProgressSink* progress);

} // namespace cxrcat
