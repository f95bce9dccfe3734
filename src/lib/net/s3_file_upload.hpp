// SPDX-License-Identifier: Apache-2.0
// Private: a whole local file into one S3 key (mirror export), with the requests of s3_client.hpp:
// one PUT below a threshold, else a multipart upload that continues an unfinished one of the same key.
#pragma once

#include "net/s3_client.hpp"

#include <cstdint>
#include <filesystem>
#include <string>

namespace cxrcat::net {

// Multipart above threshold, in parts of part_size (S3's minimum part is 5 MiB; the AWS CLI's
// defaults are 8 MiB for both).
struct S3UploadOptions {
    std::uint64_t multipart_threshold = 8ULL << 20;
    std::uint64_t part_size = 8ULL << 20;
};

// What upload_file did.
struct S3UploadReport {
    int parts = 0;         // 0 for a single PUT
    int resumed_parts = 0; // parts an earlier, unfinished upload of the key had already stored
};

// Uploads the file: one PUT below the threshold, else a multipart upload whose every part carries
// its Content-MD5; the upload is completed only when every part was accepted and aborted on any
// failure, so the key never holds a partial object. An unfinished upload of the same key (a run
// killed mid-upload) is continued: its parts whose MD5 matches the file's bytes are kept.
[[nodiscard]] Result<S3UploadReport> upload_file(const S3Client& client, const std::string& bucket,
                                                 const std::string& key, const std::filesystem::path& path,
                                                 const S3UploadOptions& options = S3UploadOptions{});

} // namespace cxrcat::net
