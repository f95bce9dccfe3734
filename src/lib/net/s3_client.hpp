// SPDX-License-Identifier: Apache-2.0
// Private: the S3 requests cxrcat makes (object metadata, small objects, uploads, multipart uploads),
// one request per method (whole files: s3_file_upload.hpp),
// signed with AWS Signature V4 by libcurl. Every S3 request of the library goes through here or
// through the download engine (signed mirror URLs).
#pragma once

#include "cxrcat/base/result.hpp"
#include "cxrcat/net/download.hpp"
#include "cxrcat/net/http_get.hpp"
#include "cxrcat/net/s3_settings.hpp"

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace cxrcat::net {

// One uploaded part of a multipart upload.
struct S3Part {
    int number = 0;
    std::string etag; // as the store returned it, quotes included
    std::uint64_t size = 0;
};

class S3Client {
  public:
    S3Client(S3Settings settings, std::optional<std::filesystem::path> ca_bundle, RetryPolicy retry = RetryPolicy{});

    [[nodiscard]] const S3Settings& settings() const { return m_settings; }
    // The signing every request to this store carries (an empty key id: unsigned).
    [[nodiscard]] AwsSigV4 signing() const;

    // Lists at most one key below the location's prefix: proves that the bucket exists and that the
    // credentials are accepted. Errors: not_found (no such bucket), access_denied (credentials or policy).
    [[nodiscard]] Result<void> check_bucket(const S3Location& location) const;
    // The object's size (HEAD), or nullopt when there is no such key.
    [[nodiscard]] Result<std::optional<std::uint64_t>> object_size(const std::string& bucket,
                                                                   const std::string& key) const;
    // A small object's content (at most 64 MiB), or nullopt when there is no such key.
    [[nodiscard]] Result<std::optional<std::string>> get_text(const std::string& bucket, const std::string& key) const;
    // Streams an object of any size to sink (which returns false to stop); restart runs before
    // each attempt (a retry starts over). False when there is no such key.
    [[nodiscard]] Result<bool> read_object(const std::string& bucket, const std::string& key,
                                           const std::function<void()>& restart,
                                           const std::function<bool(std::string_view)>& sink) const;
    // PUT of an in-memory body with its Content-MD5 (the store checks it).
    [[nodiscard]] Result<void> put_bytes(const std::string& bucket, const std::string& key, const std::string& body,
                                         const std::string& content_type) const;
    // Server-side copy of an object of at most 5 GiB (S3's CopyObject limit).
    [[nodiscard]] Result<void> copy_object(const std::string& bucket, const std::string& from,
                                           const std::string& to) const;
    // The pieces of a multipart upload, for a caller that streams its parts (fetch --to s3://).
    // Starts one (CreateMultipartUpload) and returns its upload id.
    [[nodiscard]] Result<std::string> create_upload(const std::string& bucket, const std::string& key) const;
    // Uploads part `number` (1-based) with its Content-MD5; returns its ETag.
    [[nodiscard]] Result<std::string> upload_part(const std::string& bucket, const std::string& key,
                                                  const std::string& upload_id, int number, std::string body) const;
    // The parts the store holds for the upload, in part order. Errors: not_found when the upload is
    // gone (completed or aborted).
    [[nodiscard]] Result<std::vector<S3Part>> list_parts(const std::string& bucket, const std::string& key,
                                                         const std::string& upload_id) const;
    // CompleteMultipartUpload of exactly these parts: only now does the key hold the object.
    [[nodiscard]] Result<void> complete_upload(const std::string& bucket, const std::string& key,
                                               const std::string& upload_id, const std::vector<S3Part>& parts) const;
    // AbortMultipartUpload, best effort (the store drops every part).
    void abort_upload(const std::string& bucket, const std::string& key, const std::string& upload_id) const;
    // The id of an unfinished multipart upload of exactly this key (ListMultipartUploads), or "".
    [[nodiscard]] std::string find_pending_upload(const std::string& bucket, const std::string& key) const;
    // Every object below prefix (ListObjectsV2, all pages): key -> size.
    [[nodiscard]] Result<std::map<std::string, std::uint64_t>> list_sizes(const std::string& bucket,
                                                                          const std::string& prefix) const;
    // DELETE of one object (a missing key is no error).
    [[nodiscard]] Result<void> delete_object(const std::string& bucket, const std::string& key) const;

  private:
    [[nodiscard]] HttpRequest request(const std::string& method, const std::string& url) const;
    [[nodiscard]] Result<HttpResponse> send(const HttpRequest& request) const;
    [[nodiscard]] Error failure(const HttpResponse& response, const std::string& bucket, const std::string& what) const;
    [[nodiscard]] Result<std::string> put_part(const std::string& url, std::string body) const;
    void abort_upload(const std::string& url) const;
    S3Settings m_settings;
    std::optional<std::filesystem::path> m_ca_bundle;
    RetryPolicy m_retry;
};

} // namespace cxrcat::net
