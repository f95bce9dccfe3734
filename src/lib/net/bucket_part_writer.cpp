// SPDX-License-Identifier: Apache-2.0
// The bucket side of one `fetch --to s3://` file: parts in flight, an earlier run's parts checked,
// and the object made only on commit() (see bucket_part_writer.hpp).
#include "net/bucket_part_writer.hpp"

#include "net/s3_listing.hpp"

#include <algorithm>

namespace cxrcat::net {

namespace {

// Parts uploading at once for one file while the next one fills: the store's PUTs overlap each
// other and the download (memory: (this + 1) parts per file).
constexpr std::size_t k_parts_in_flight = 3;

} // namespace

BucketPartWriter::BucketPartWriter(const S3Client& client, std::string bucket, std::string key,
                                   const BucketUploadRecords& records, std::uint64_t part_size)
    : m_client(client), m_bucket(std::move(bucket)), m_key(std::move(key)), m_records(records), m_part_size(part_size) {
}

std::size_t BucketPartWriter::resume_pending() {
    if (!m_records.find) {
        return 0;
    }
    auto pending = m_records.find(m_key);
    if (!pending || pending->upload_id.empty() || pending->part_size == 0) {
        return 0;
    }
    auto listed = m_client.list_parts(m_bucket, m_key, pending->upload_id);
    bool usable = listed.has_value();
    for (std::size_t i = 0; usable && i < listed->size(); ++i) {
        usable = (*listed)[i].number == static_cast<int>(i + 1) && (*listed)[i].size == pending->part_size;
    }
    if (!usable) {
        // Gone (completed or aborted elsewhere) or not ours to continue: drop it and start over.
        if (listed) {
            m_client.abort_upload(m_bucket, m_key, pending->upload_id);
        }
        m_records.forget(m_key);
        return 0;
    }
    m_upload_id = pending->upload_id;
    m_part_size = pending->part_size;
    m_prior = std::move(*listed);
    return m_prior.size();
}

// Bytes an earlier run uploaded already: checked part by part against the MD5 the store recorded,
// never uploaded again.
bool BucketPartWriter::check_prior(std::string_view& data) {
    while (!data.empty() && m_prior_done < m_prior.size()) {
        const S3Part& part = m_prior[m_prior_done];
        std::size_t take = static_cast<std::size_t>(std::min<std::uint64_t>(data.size(), part.size - m_prior_filled));
        m_prior_md5.update(data.substr(0, take));
        m_prior_filled += take;
        data.remove_prefix(take);
        if (m_prior_filled == part.size) {
            if (m_prior_md5.finish_hex() != md5_from_etag(part.etag)) {
                m_prior_mismatch = true;
                return false;
            }
            m_parts.push_back(part);
            m_prior_md5 = Hasher(DigestAlgorithm::md5);
            m_prior_filled = 0;
            ++m_prior_done;
        }
    }
    return true;
}

bool BucketPartWriter::write(std::string_view data) {
    if (!check_prior(data)) {
        return false;
    }
    while (!data.empty()) {
        std::size_t take =
            static_cast<std::size_t>(std::min<std::uint64_t>(data.size(), m_part_size - m_buffer.size()));
        m_buffer.append(data.substr(0, take));
        data.remove_prefix(take);
        if (m_buffer.size() == m_part_size && !flush_part()) {
            return false;
        }
    }
    return true;
}

Result<void> BucketPartWriter::wait(std::size_t keep) {
    std::optional<Error> failed;
    while (m_in_flight.size() > keep) {
        auto part = m_in_flight.front().get();
        m_in_flight.pop_front();
        if (!part) {
            failed = failed ? failed : part.error();
        } else if (!failed) {
            m_parts.push_back(std::move(*part));
        }
    }
    if (failed) {
        return *failed;
    }
    return {};
}

bool BucketPartWriter::flush_part() {
    if (m_upload_id.empty()) {
        auto created = m_client.create_upload(m_bucket, m_key);
        if (!created) {
            m_store_error = created.error();
            return false;
        }
        m_upload_id = *created;
        if (m_records.remember) {
            m_records.remember(m_key, PendingUpload{m_upload_id, m_part_size});
        }
    }
    if (auto waited = wait(k_parts_in_flight - 1); !waited) {
        m_store_error = waited.error();
        return false;
    }
    int number = static_cast<int>(m_parts.size() + m_in_flight.size()) + 1;
    std::string body;
    body.swap(m_buffer);
    std::uint64_t size = body.size();
    m_in_flight.push_back(
        std::async(std::launch::async, [this, number, size, body = std::move(body)]() mutable -> Result<S3Part> {
            auto etag = m_client.upload_part(m_bucket, m_key, m_upload_id, number, std::move(body));
            if (!etag) {
                return etag.error();
            }
            return S3Part{number, *etag, size};
        }));
    return true;
}

void BucketPartWriter::restart() {
    (void)wait();
    m_parts.clear();
    m_buffer.clear();
    m_prior_done = 0;
    m_prior_filled = 0;
    m_prior_md5 = Hasher(DigestAlgorithm::md5);
}

void BucketPartWriter::start_over() {
    abort();
    m_prior_mismatch = false;
    restart();
}

void BucketPartWriter::abort() {
    (void)wait();
    if (!m_upload_id.empty()) {
        m_client.abort_upload(m_bucket, m_key, m_upload_id);
        if (m_records.forget) {
            m_records.forget(m_key);
        }
        m_upload_id.clear();
    }
    m_parts.clear();
    m_prior.clear();
}

Result<void> BucketPartWriter::commit() {
    if (m_upload_id.empty()) {
        // Smaller than one part: it was held in memory, and is PUT only now that it verified.
        return m_client.put_bytes(m_bucket, m_key, m_buffer, "application/octet-stream");
    }
    if (!m_buffer.empty() && !flush_part()) {
        return *m_store_error;
    }
    if (auto waited = wait(); !waited) {
        return waited;
    }
    if (auto completed = m_client.complete_upload(m_bucket, m_key, m_upload_id, m_parts); !completed) {
        return completed;
    }
    if (m_records.forget) {
        m_records.forget(m_key);
    }
    m_upload_id.clear();
    return {};
}

bool BucketPartWriter::worth_keeping() {
    return !m_upload_id.empty() && wait() && !m_parts.empty();
}

} // namespace cxrcat::net
