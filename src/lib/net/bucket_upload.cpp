// SPDX-License-Identifier: Apache-2.0
// fetch --to s3://: one file streamed from its sources into the bucket, verified before the object
// exists (see bucket_upload.hpp). This file is the source side (attempts, sniffing, whole-file
// digests); BucketPartWriter is the bucket side.
#include "net/bucket_upload.hpp"

#include "cxrcat/archive/payload_kind.hpp"
#include "cxrcat/base/digest.hpp"
#include "cxrcat/base/redacted_url.hpp"
#include "cxrcat/base/text.hpp"
#include "cxrcat/net/http_get.hpp"
#include "net/bucket_part_writer.hpp"
#include "net/receive_pacer.hpp"

#include <algorithm>
#include <atomic>
#include <mutex>
#include <random>
#include <thread>

namespace cxrcat::net {

namespace {

constexpr std::uint64_t k_bucket_min_part = 8ULL << 20;
constexpr std::uint64_t k_bucket_unknown_size_part = 64ULL << 20; // 10,000 parts: 640 GiB
constexpr std::uint64_t k_bucket_max_parts = 9'000;               // below S3's 10,000
constexpr std::size_t k_bucket_error_body = 64U << 10;

// The worker threads' progress, reported one call at a time.
class BucketProgress {
  public:
    explicit BucketProgress(ProgressSink* sink) : m_sink(sink) {}
    void start(const std::string& path, std::optional<std::uint64_t> total) {
        std::lock_guard lock(m_mutex);
        if (m_sink != nullptr) {
            m_sink->on_start(path, total);
        }
    }
    void progress(const std::string& path, std::uint64_t done, std::optional<std::uint64_t> total) {
        std::lock_guard lock(m_mutex);
        if (m_sink != nullptr) {
            m_sink->on_progress(path, done, total);
        }
    }
    void retry(const std::string& path, int attempt, std::chrono::milliseconds delay, const std::string& reason) {
        std::lock_guard lock(m_mutex);
        if (m_sink != nullptr) {
            m_sink->on_retry(path, attempt, delay, reason);
        }
    }
    void finish(const TransferOutcome& outcome) {
        std::lock_guard lock(m_mutex);
        if (m_sink != nullptr) {
            m_sink->on_finish(outcome);
        }
    }

  private:
    ProgressSink* m_sink;
    std::mutex m_mutex;
};

Error bucket_http_error(long status, const TransferRequest& request, const std::string& url) {
    std::string where = RedactedUrl(url).str();
    ErrorCode code = status == 401 || status == 403   ? ErrorCode::access_denied
                     : status == 404 || status == 410 ? ErrorCode::not_found
                                                      : ErrorCode::network;
    Error error(code, request.display_path + ": HTTP " + std::to_string(status), {"source: " + where});
    HttpFailure http;
    http.status = status;
    http.path = request.display_path;
    http.url = where;
    error.with_http(std::move(http));
    return error;
}

// What one attempt on one source came to.
enum class BucketStep { done, retry, next_source, fatal };

class BucketStream {
  public:
    BucketStream(const TransferRequest& request, std::string key, const S3Client& client, std::string bucket,
                 const BucketUploadRecords& records, const DownloadOptions& options, BucketProgress& progress,
                 ReceivePacer* pacer)
        : m_request(request), m_target("s3://" + bucket + "/" + key), m_options(options), m_progress(progress),
          m_pacer(pacer),
          m_writer(client, std::move(bucket), std::move(key), records, bucket_part_size(request.expected_size)) {
        m_outcome.display_path = request.display_path;
        reset();
    }

    TransferOutcome run();

  private:
    void reset();
    void resume_pending();
    bool consume(std::string_view data);
    bool feed(std::string_view data);
    bool sniff_head();
    BucketStep transfer_once(const std::string& url, bool origin);
    BucketStep finish();

    const TransferRequest& m_request;
    std::string m_target; // s3://bucket/key, for messages
    const DownloadOptions& m_options;
    BucketProgress& m_progress;
    ReceivePacer* m_pacer; // --limit-rate, shared by the run's streams; nullptr without a cap
    BucketPartWriter m_writer;
    TransferOutcome m_outcome;
    std::optional<Error> m_error; // the last failure (of a source, or final)

    std::vector<Hasher> m_hashers;
    std::uint64_t m_received = 0; // bytes of the file hashed so far (a Range request continues here)
    std::string m_head;           // the first bytes, held back until sniffed
    bool m_sniffed = false;
};

void BucketStream::reset() {
    m_writer.restart();
    m_head.clear();
    m_sniffed = false;
    m_received = 0;
    m_hashers.clear();
    m_hashers.emplace_back(DigestAlgorithm::sha256);
    for (const auto& [algorithm, hex] : m_request.expected_digests) {
        if (algorithm != DigestAlgorithm::sha256) {
            m_hashers.emplace_back(algorithm);
        }
    }
}

void BucketStream::resume_pending() {
    std::size_t prior = m_writer.resume_pending();
    if (prior > 0) {
        m_outcome.resumed = true;
        m_outcome.warnings.push_back(m_request.display_path + ": resuming the multipart upload an earlier run left (" +
                                     std::to_string(prior) +
                                     " part(s) in the store; their bytes are read again only to be hashed)");
    }
}

bool BucketStream::consume(std::string_view data) {
    m_outcome.bytes_received += data.size();
    if (m_pacer != nullptr) {
        m_pacer->pace(data.size());
    }
    if (!m_sniffed) {
        std::size_t take = std::min(data.size(), k_sniff_bytes - m_head.size());
        m_head.append(data.substr(0, take));
        data.remove_prefix(take);
        if (m_head.size() < k_sniff_bytes) {
            return true;
        }
        if (!sniff_head()) {
            return false;
        }
    }
    bool fed = feed(data);
    m_progress.progress(m_request.display_path, m_received, m_request.expected_size);
    return fed;
}

bool BucketStream::sniff_head() {
    m_sniffed = true;
    SniffVerdict verdict =
        sniff_payload(m_request.expected_kind, "", std::as_bytes(std::span(m_head.data(), m_head.size())));
    if (verdict == SniffVerdict::web_page) {
        m_error =
            Error(ErrorCode::access_denied,
                  m_request.display_path + ": the server sent a web page, not a " +
                      std::string(to_string(m_request.expected_kind)) + " — probably a login, consent or quota page",
                  {"open the dataset's page in a browser, complete the step it asks for, then rerun",
                   "nothing was stored under " + m_target});
        return false;
    }
    if (verdict == SniffVerdict::wrong_format) {
        m_error = Error(ErrorCode::integrity,
                        m_request.display_path + ": the data is not a " +
                            std::string(to_string(m_request.expected_kind)) + " as its name says",
                        {"nothing was stored under " + m_target});
        return false;
    }
    std::string head = std::move(m_head);
    m_head.clear();
    return feed(head);
}

bool BucketStream::feed(std::string_view data) {
    for (auto& hasher : m_hashers) {
        hasher.update(data);
    }
    m_received += data.size();
    return m_writer.write(data);
}

BucketStep BucketStream::transfer_once(const std::string& url, bool origin) {
    if (m_received == 0) {
        m_head.clear(); // an attempt that ended before its head was sniffed: none of it was hashed
        m_sniffed = false;
    }
    HttpRequest request;
    request.url = url;
    if (origin) {
        request.secret_headers = m_request.secret_headers;
        request.basic_auth = m_request.basic_auth;
    }
    if (auto signing = m_request.signed_urls.find(url); signing != m_request.signed_urls.end()) {
        request.aws_sigv4 = signing->second;
    }
    request.user_agent = m_request.user_agent.empty() ? m_options.user_agent : m_request.user_agent;
    request.ca_bundle = m_options.ca_bundle;
    request.timeout = std::chrono::hours(24); // a stall is caught by libcurl's low-speed limit
    request.max_body = k_bucket_error_body;
    if (m_pacer != nullptr) {
        request.paced_rate = m_pacer->rate() / static_cast<std::uint64_t>(std::max(1, m_options.jobs));
    }
    if (m_received > 0) {
        if (!m_request.expected_size || m_received >= *m_request.expected_size) {
            reset(); // no known end to ask a range up to: start over
        } else {
            request.range = std::make_pair(m_received, *m_request.expected_size - 1);
        }
    }
    request.body_write = [this](std::string_view data) { return consume(data); };
    RetryPolicy once;
    once.max_attempts = 1; // retries are ours: each continues where the bytes stopped
    auto response = http_request(request, once);
    if (m_writer.store_error()) {
        m_error = m_writer.store_error();
        return BucketStep::fatal;
    }
    if (m_writer.prior_mismatch()) {
        m_writer.start_over(); // the source changed since the earlier run: send everything again
        reset();
        m_outcome.restarted = true;
        return BucketStep::retry;
    }
    if (!response) {
        m_error = response.error();
        return response.error().code() == ErrorCode::network ? BucketStep::retry : BucketStep::next_source;
    }
    if (m_error) {
        return BucketStep::next_source; // the sniffed head was a web page or the wrong kind of file
    }
    long expected_status = request.range ? 206 : 200;
    if (response->status != expected_status) {
        if (request.range && (response->status == 200 || response->status == 416)) {
            reset(); // the server ignores Range (or the file changed): from byte 0 again
            m_outcome.restarted = true;
            m_error = Error(ErrorCode::network, m_request.display_path + ": the source ignored Range; starting over");
            return BucketStep::retry;
        }
        m_error = bucket_http_error(response->status, m_request, url);
        return is_transient_http_status(response->status) ? BucketStep::retry : BucketStep::next_source;
    }
    return finish();
}

BucketStep BucketStream::finish() {
    if (!m_sniffed && (!sniff_head() || m_writer.store_error())) {
        m_error = m_writer.store_error() ? m_writer.store_error() : m_error;
        return m_writer.store_error() ? BucketStep::fatal : BucketStep::next_source;
    }
    std::map<DigestAlgorithm, std::string> digests;
    for (auto& hasher : m_hashers) {
        digests[hasher.algorithm()] = hasher.finish_hex();
    }
    std::string origin = m_request.digest_origin.empty() ? "" : " (" + m_request.digest_origin + ")";
    std::string nothing = "nothing was stored under " + m_target + "; the upload was aborted";
    if (m_request.expected_size && m_received != *m_request.expected_size) {
        m_error = Error(ErrorCode::integrity, m_request.display_path + ": size mismatch",
                        {"expected " + group_thousands(*m_request.expected_size) + " bytes",
                         "actual   " + group_thousands(m_received) + " bytes", nothing});
    }
    for (const auto& [algorithm, expected] : m_request.expected_digests) {
        if (!m_error && digests[algorithm] != expected) {
            m_error = Error(ErrorCode::integrity,
                            m_request.display_path + ": " + std::string(to_string(algorithm)) + " mismatch",
                            {"expected " + expected + origin, "actual   " + digests[algorithm], nothing});
        }
    }
    if (m_error) {
        m_writer.abort();
        reset();
        return BucketStep::next_source;
    }
    if (auto stored = m_writer.commit(); !stored) {
        m_error = stored.error();
        m_writer.abort();
        return BucketStep::fatal;
    }
    m_outcome.status = TransferStatus::downloaded;
    m_outcome.size = m_received;
    m_outcome.digests = std::move(digests);
    return BucketStep::done;
}

TransferOutcome BucketStream::run() {
    resume_pending();
    m_progress.start(m_request.display_path, m_request.expected_size);
    std::mt19937_64 random(std::random_device{}());
    std::uniform_real_distribution<double> jitter(0.0, 1.0);
    bool stop = false;
    for (std::size_t u = 0; u < m_request.urls.size() && !stop; ++u) {
        const std::string& url = m_request.urls[u];
        bool last = u + 1 == m_request.urls.size();
        std::chrono::milliseconds waited{0};
        for (int attempt = 1;; ++attempt) {
            ++m_outcome.attempts;
            BucketStep step = transfer_once(url, u >= m_request.mirror_count);
            if (step == BucketStep::done) {
                m_progress.finish(m_outcome);
                return m_outcome;
            }
            if (step == BucketStep::fatal) {
                stop = true;
                break;
            }
            if (step == BucketStep::next_source || !last || attempt >= m_options.retry.max_attempts) {
                // On a mirror every failure moves on to the next source, from byte 0.
                if (!last && m_error) {
                    m_outcome.warnings.push_back(m_error->message() + " (" + RedactedUrl(url).str() +
                                                 "); trying the next source");
                    m_error.reset();
                    reset();
                }
                break;
            }
            auto delay = m_options.retry.delay_before(attempt + 1, jitter(random), std::nullopt);
            if (waited + delay > m_options.retry.max_total_wait) {
                break;
            }
            waited += delay;
            m_progress.retry(m_request.display_path, attempt + 1, delay, m_error ? m_error->message() : "");
            m_error.reset();
            std::this_thread::sleep_for(delay);
        }
    }
    if (!m_error) {
        m_error = Error(ErrorCode::network, m_request.display_path + ": no source served it");
    }
    // A network failure keeps the parts uploaded so far (their upload id is recorded) for the next
    // run to resume; anything else (a mismatch, a refusal by the store) leaves no upload behind.
    bool keep = m_error->code() == ErrorCode::network && m_writer.worth_keeping();
    if (keep) {
        m_error->note("the " + std::to_string(m_writer.parts_stored()) + " part(s) uploaded so far are kept (upload " +
                      "id recorded beside the data): rerun to resume; nothing is under " + m_target + " yet");
    } else {
        m_writer.abort();
    }
    m_outcome.status = TransferStatus::failed;
    m_outcome.error = m_error;
    m_progress.finish(m_outcome);
    return m_outcome;
}

} // namespace

std::uint64_t bucket_part_size(std::optional<std::uint64_t> size) {
    if (!size) {
        return k_bucket_unknown_size_part;
    }
    return std::max(k_bucket_min_part, (*size + k_bucket_max_parts - 1) / k_bucket_max_parts);
}

std::vector<TransferOutcome> upload_all_to_bucket(const std::vector<TransferRequest>& requests,
                                                  const std::vector<std::string>& keys, const S3Client& client,
                                                  const std::string& bucket, const BucketUploadRecords& records,
                                                  const DownloadOptions& options, ProgressSink* progress) {
    std::vector<TransferOutcome> outcomes(requests.size());
    BucketProgress locked(progress);
    std::optional<ReceivePacer> pacer;
    if (options.max_receive_rate > 0) {
        pacer.emplace(options.max_receive_rate);
    }
    std::atomic<std::size_t> next{0};
    auto work = [&] {
        for (std::size_t i = next++; i < requests.size(); i = next++) {
            BucketStream stream(requests[i], keys.at(i), client, bucket, records, options, locked,
                                pacer ? &*pacer : nullptr);
            outcomes[i] = stream.run();
        }
    };
    std::size_t workers = std::min<std::size_t>(requests.size(), static_cast<std::size_t>(std::max(1, options.jobs)));
    std::vector<std::thread> threads;
    for (std::size_t i = 1; i < workers; ++i) {
        threads.emplace_back(work);
    }
    work();
    for (auto& thread : threads) {
        thread.join();
    }
    return outcomes;
}

} // namespace cxrcat::net
