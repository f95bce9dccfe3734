// SPDX-License-Identifier: Apache-2.0
// Private: `fetch --to s3://`'s transfer. Each file streams from its sources (mirrors first, origin
// last) through the same checks as a download to disk (payload sniffing, size, every expected
// digest) into the bucket, with no local copy: a file smaller than one part is held in memory and
// PUT only once it verified; a larger one goes into a multipart upload whose parts are sent while
// the rest arrives (up to three uploading, one filling) and which is COMPLETED ONLY AFTER the size
// and the digests matched. A mismatch or a refusal by the store aborts the upload, so the final key
// never holds wrong bytes and no upload is left behind. A network failure that outlasts the retries
// keeps the parts: the upload id is recorded (BucketUploadRecords) when it starts, and a later run
// resumes it from its part list, reading the uploaded parts' bytes from the source again only to
// rebuild the whole-file digests (a digest's state cannot be saved) and to check each part's MD5
// against the ETag the store gave it; those bytes are not uploaded again.
#pragma once

#include "cxrcat/net/download.hpp"
#include "net/s3_client.hpp"

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace cxrcat::net {

// A multipart upload started by an earlier run and not completed.
struct PendingUpload {
    std::string upload_id;
    std::uint64_t part_size = 0;
};

// Where upload ids are remembered between runs (the bucket store keeps them beside the data).
struct BucketUploadRecords {
    std::function<std::optional<PendingUpload>(const std::string& key)> find;
    std::function<void(const std::string& key, const PendingUpload& upload)> remember;
    std::function<void(const std::string& key)> forget;
};

// Streams requests[i] into s3://bucket/keys[i]. Returns one outcome per request, in order; a failed
// file leaves nothing under its key and no multipart upload. Progress is reported under a mutex
// (files run on up to options.jobs threads).
[[nodiscard]] std::vector<TransferOutcome> upload_all_to_bucket(const std::vector<TransferRequest>& requests,
                                                                const std::vector<std::string>& keys,
                                                                const S3Client& client, const std::string& bucket,
                                                                const BucketUploadRecords& records,
                                                                const DownloadOptions& options, ProgressSink* progress);

// The part size for a file of this size (nullopt: unknown): at least 8 MiB, and few enough parts for
// S3's 10,000-part limit.
[[nodiscard]] std::uint64_t bucket_part_size(std::optional<std::uint64_t> size);

} // namespace cxrcat::net
