// SPDX-License-Identifier: Apache-2.0
// Private: the bucket side of one `fetch --to s3://` file (bucket_upload.hpp has the whole story).
// Bytes become the parts of one multipart upload, up to three uploading while the next one fills;
// the parts an earlier run left are checked against the MD5 the store recorded instead of being
// sent again; the object appears under its key only on commit(), which the caller makes after the
// size and the digests matched. A file smaller than one part never starts an upload: it is held in
// memory and PUT by commit().
#pragma once

#include "cxrcat/base/digest.hpp"
#include "cxrcat/base/result.hpp"
#include "net/bucket_upload.hpp"
#include "net/s3_client.hpp"

#include <cstdint>
#include <deque>
#include <future>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cxrcat::net {

class BucketPartWriter {
  public:
    BucketPartWriter(const S3Client& client, std::string bucket, std::string key, const BucketUploadRecords& records,
                     std::uint64_t part_size);
    BucketPartWriter(const BucketPartWriter&) = delete;
    BucketPartWriter& operator=(const BucketPartWriter&) = delete;
    BucketPartWriter(BucketPartWriter&&) = delete;
    BucketPartWriter& operator=(BucketPartWriter&&) = delete;
    ~BucketPartWriter() { (void)wait(); }

    // Takes over the upload an earlier run recorded for this key when the store still holds it
    // with parts of the recorded size (otherwise it is aborted and forgotten). Returns how many of
    // its parts the bytes will be checked against.
    std::size_t resume_pending();

    // The file's next bytes. False when they cannot be taken: store_error() (the store refused;
    // final) or prior_mismatch() (an earlier run's part differs from these bytes: the source
    // changed, so start_over() and send everything again).
    bool write(std::string_view data);

    // Back to byte 0 of the file: waits for the running parts and forgets what this run sent; the
    // upload id and an earlier run's parts stay (the bytes are checked against them again).
    void restart();
    // After a prior_mismatch(): aborts the upload and forgets the earlier run's parts too.
    void start_over();
    // Aborts the upload (the store drops every part) and forgets its record: nothing stays behind.
    void abort();

    // Stores the file: PUT of the held bytes, or the last part, every part's end and
    // CompleteMultipartUpload. On failure the upload is left for the caller to abort.
    [[nodiscard]] Result<void> commit();

    // Whether a network failure may keep the upload for a later run: it exists and holds parts.
    [[nodiscard]] bool worth_keeping();
    [[nodiscard]] std::size_t parts_stored() const { return m_parts.size(); }
    [[nodiscard]] bool prior_mismatch() const { return m_prior_mismatch; }
    [[nodiscard]] const std::optional<Error>& store_error() const { return m_store_error; }
    [[nodiscard]] std::uint64_t part_size() const { return m_part_size; }

  private:
    bool check_prior(std::string_view& data);
    bool flush_part();
    // Waits until at most `keep` part uploads are running; the first failure, if any.
    Result<void> wait(std::size_t keep = 0);

    const S3Client& m_client;
    std::string m_bucket;
    std::string m_key;
    const BucketUploadRecords& m_records;
    std::uint64_t m_part_size;
    std::optional<Error> m_store_error;

    std::string m_upload_id;
    std::vector<S3Part> m_parts;                         // stored (or, resuming, checked again), in order
    std::deque<std::future<Result<S3Part>>> m_in_flight; // in part order
    std::vector<S3Part> m_prior; // an earlier run's parts, checked against the bytes as they arrive again
    std::size_t m_prior_done = 0;
    std::uint64_t m_prior_filled = 0;
    bool m_prior_mismatch = false;
    Hasher m_prior_md5{DigestAlgorithm::md5};
    std::string m_buffer; // the part being filled
};

} // namespace cxrcat::net
