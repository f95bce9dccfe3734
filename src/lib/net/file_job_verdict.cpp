// SPDX-License-Identifier: Apache-2.0
// FileJob's verdict on a finished attempt: retry, move to the next source, fail, or verify and
// install the part.
#include "cxrcat/base/redacted_url.hpp"
#include "cxrcat/base/text.hpp"
#include "net/curl_errors.hpp"
#include "net/file_job.hpp"

namespace cxrcat::net {

namespace {

std::string file_job_status_message(long status) {
    switch (status) {
    case 401: return "HTTP 401 Unauthorized: the server wants credentials, or refused the ones given";
    case 403: return "HTTP 403 Forbidden: access to this file is not granted";
    case 404: return "HTTP 404 Not Found";
    case 410: return "HTTP 410 Gone";
    case 429: return "HTTP 429 Too Many Requests";
    default: return "HTTP " + std::to_string(status);
    }
}

} // namespace

void FileJob::forget_part() {
    (void)m_part->truncate(0);
    std::error_code ignored;
    std::filesystem::remove(m_part->meta_path(), ignored);
}

bool FileJob::switch_source(const Error& error) {
    restart_at_origin();
    if (m_url_index + 1 >= m_request.urls.size() || is_split()) {
        return false;
    }
    // A missing, slow or bad copy at a mirror: drop its bytes and go on with the next source.
    m_outcome.warnings.push_back(error.message() + " (" + RedactedUrl(current_url()).str() +
                                 "); trying the next source");
    if (m_part) {
        m_part->discard();
        m_part.reset();
    }
    ++m_url_index;
    m_outcome.attempts = 0;
    m_switched_source = true;
    m_last_error = error;
    return true;
}

AttemptVerdict FileJob::fail(Error error, bool try_next_url) {
    if ((try_next_url || m_url_index + 1 < m_request.urls.size()) && switch_source(error)) {
        return AttemptVerdict::retry;
    }
    give_up(std::move(error));
    return AttemptVerdict::failed;
}

void FileJob::give_up(Error error) {
    if (m_part && m_part->size() == 0) {
        m_part->discard(); // nothing to resume: leave no empty .part behind
        m_part.reset();
    }
    m_outcome.error = std::move(error);
    m_outcome.status = TransferStatus::failed;
}

AttemptVerdict FileJob::retry(Error error) {
    if (switch_source(error)) {
        return AttemptVerdict::retry;
    }
    m_last_error = std::move(error);
    return AttemptVerdict::retry;
}

AttemptVerdict FileJob::judge_abort() {
    Error error = *m_abort_error;
    if (error.code() == ErrorCode::access_denied || error.code() == ErrorCode::integrity) {
        m_part->discard();
        m_part.reset();
        return fail(std::move(error), m_abort_try_next_url);
    }
    if (m_outcome.restarted) {
        // The remote changed under a resumed or split download: the next attempt starts at zero.
        stop_split();
        forget_part();
    }
    return m_abort_transient ? retry(std::move(error)) : fail(std::move(error), false);
}

AttemptVerdict FileJob::judge_curl_failure(CURLcode code, const std::string& where) {
    CurlFailure failure =
        classify_curl_error(code, m_error_buffer.c_str()); // NOLINT(readability-redundant-string-cstr): cut at NUL
    Error error(failure.code, m_request.display_path + ": " + failure.message, {where});
    if (!failure.hint.empty()) {
        error.note(failure.hint);
    }
    return failure.transient ? retry(std::move(error)) : fail(std::move(error), false);
}

AttemptVerdict FileJob::judge_range_not_satisfiable(const std::string& where) {
    // The part already holds every byte (a run killed between download and install) or the
    // remote shrank: verify what is there, or start over.
    ContentRange range = parse_content_range(m_response.get("content-range"));
    if (range.total && m_part->size() == *range.total && m_resume_from == *range.total) {
        HashingWriter rehash(m_part->fd(), m_part->part_path(), m_resume_from, algorithms());
        auto rehashed = rehash.rehash_existing();
        auto finished = rehashed ? rehash.finish() : rehashed;
        if (!finished) {
            return fail(finished.error(), false);
        }
        m_outcome.resumed = true;
        return verify_and_install(m_resume_from, rehash.digests());
    }
    (void)m_part->truncate(0);
    return retry(Error(ErrorCode::network,
                       m_request.display_path + ": HTTP 416: the saved part no longer fits the remote file", {where}));
}

AttemptVerdict FileJob::judge_http_failure(long status, const std::string& where) {
    // The answer's facts travel in Error::http, so providers explain it without reading the text.
    // After a redirect the failure belongs to another host (a signed CDN URL, not the provider):
    // final_url says so, so that ProviderClient::explain can tell the two apart.
    HttpFailure http;
    http.status = status;
    http.provider_code = m_response.get("x-error-code");
    http.path = m_request.display_path;
    http.url = RedactedUrl(current_url()).str();
    char* effective = nullptr;
    if (curl_easy_getinfo(m_easy.get(), CURLINFO_EFFECTIVE_URL, &effective) == CURLE_OK && effective != nullptr &&
        effective != current_url() && effective != ranged_url()) {
        http.final_url = RedactedUrl(effective).str();
    }
    Error error(ErrorCode::network, m_request.display_path + ": " + file_job_status_message(status), {where});
    if (is_transient_http_status(status)) {
        return retry(std::move(error.with_http(std::move(http))));
    }
    if (status == 401 || status == 403) {
        error =
            Error(ErrorCode::access_denied, m_request.display_path + ": " + file_job_status_message(status), {where});
        if (!http.provider_code.empty()) {
            error.note("the server says: " + http.provider_code);
        }
        if (status == 403 && !http.final_url.empty() && !m_reresolved) {
            // A signed URL (the Hub's CDN, GCS for Kaggle) lives minutes; one that expired before its
            // bytes were asked for answers 403. The next attempt starts at the origin again, which
            // signs a fresh one: once, so that a real refusal still fails (api-drift-2026.md §5.2).
            m_reresolved = true;
            if (is_split()) {
                // The segments ask the same signed URL: they stop too, and resume from the record
                // once the file is resolved again.
                save_split_progress();
                stop_split();
            }
            error.note("redirected to: " + http.final_url);
            return retry(std::move(error.with_http(std::move(http))));
        }
    } else if (status == 404 || status == 410) {
        error = Error(ErrorCode::not_found, m_request.display_path + ": " + file_job_status_message(status), {where});
        error.note("the file has moved or was withdrawn; check the dataset's homepage");
    }
    if (!http.final_url.empty()) {
        error.note("redirected to: " + http.final_url);
    }
    error.with_http(std::move(http));
    return fail(std::move(error), status == 404 || status == 410);
}

AttemptVerdict FileJob::hand_over_to_segments() {
    m_main_finished = true;
    m_prefix_hashers = m_writer->release_hashers();
    m_writer.reset();
    start_prefix_hashing();
    return AttemptVerdict::waiting;
}

AttemptVerdict FileJob::finish_attempt(CURLcode code) {
    // Flush what arrived: after a dropped connection, those bytes are what the next attempt resumes.
    Result<void> flushed;
    if (m_writer) {
        if (!m_sniffed && !m_abort_error && (code == CURLE_OK || m_size_mismatch)) {
            (void)sniff_and_write_head();
        }
        flushed = m_writer->close();
        if (m_limit) {
            m_main_done = m_writer->end_offset();
        }
    }
    if (m_abort_error) {
        return judge_abort();
    }
    if (!flushed) {
        return fail(flushed.error(), false); // local I/O: the part stays for a resume after the fix
    }
    std::string where = "source: " + RedactedUrl(current_url()).str();
    bool main_stream_done = m_limit && m_writer && m_main_done >= *m_limit &&
                            (code == CURLE_OK || (code == CURLE_WRITE_ERROR && m_reached_limit));
    if (main_stream_done) {
        return hand_over_to_segments();
    }
    if (code != CURLE_OK) {
        return judge_curl_failure(code, where);
    }
    long status = m_response.status();
    if (status == 416 && !m_limit) {
        return judge_range_not_satisfiable(where);
    }
    if (follows_own_redirects() && status >= 300 && status < 400 && !m_response.get("location").empty()) {
        return follow_redirect(where);
    }
    if (status != 200 && status != 206) {
        return judge_http_failure(status, where);
    }
    if (m_limit) {
        // The main stream of a split file ended before its share: resume it.
        return retry(Error(ErrorCode::network, m_request.display_path + ": the transfer ended early", {where}));
    }
    if (auto finished = m_writer->finish(); !finished) {
        return fail(finished.error(), false);
    }
    return verify_and_install(m_writer->end_offset(), m_writer->digests());
}

std::optional<Error> FileJob::received_size_error(std::uint64_t size, const std::string& where, bool zipped) const {
    if (!zipped && m_request.expected_size && size < *m_request.expected_size) {
        // The connection ended early without saying so (no Content-Length): resume it.
        return Error(ErrorCode::network,
                     m_request.display_path + ": the transfer ended early at " + group_thousands(size) + " of " +
                         group_thousands(*m_request.expected_size) + " bytes",
                     {where});
    }
    if (m_total && size != *m_total) {
        return Error(ErrorCode::network,
                     m_request.display_path + ": received " + group_thousands(size) + " bytes, the server announced " +
                         group_thousands(*m_total),
                     {where});
    }
    return std::nullopt;
}

std::optional<Error> FileJob::integrity_error(std::uint64_t size, const std::map<DigestAlgorithm, std::string>& digests,
                                              const std::string& where) const {
    if (m_request.expected_size && size != *m_request.expected_size) {
        return Error(ErrorCode::integrity, m_request.display_path + ": size mismatch",
                     {"expected " + group_thousands(*m_request.expected_size) + " bytes",
                      "actual   " + group_thousands(size) + " bytes", where, "nothing was installed"});
    }
    for (const auto& [algorithm, expected] : m_request.expected_digests) {
        auto it = digests.find(algorithm);
        if (it != digests.end() && it->second != expected) {
            std::string origin = m_request.digest_origin.empty() ? "" : " (" + m_request.digest_origin + ")";
            return Error(ErrorCode::integrity,
                         m_request.display_path + ": " + std::string(to_string(algorithm)) + " mismatch",
                         {"expected " + expected + origin, "actual   " + it->second, where,
                          "nothing was installed; rerun to download it again"});
        }
    }
    return std::nullopt;
}

std::optional<Error> FileJob::served_md5_error(const std::map<DigestAlgorithm, std::string>& digests,
                                               const std::string& where) const {
    if (!m_request.served_md5 || m_request.expected_digests.contains(DigestAlgorithm::md5)) {
        return std::nullopt;
    }
    auto served = goog_hash_md5(m_response.get("x-goog-hash"));
    auto actual = digests.find(DigestAlgorithm::md5);
    if (!served || actual == digests.end() || actual->second == *served) {
        return std::nullopt;
    }
    return Error(ErrorCode::integrity, m_request.display_path + ": md5 mismatch",
                 {"expected " + *served + " (X-Goog-Hash of the download)", "actual   " + actual->second, where,
                  "nothing was installed; rerun to download it again"});
}

AttemptVerdict FileJob::verify_and_install(std::uint64_t size, const std::map<DigestAlgorithm, std::string>& digests) {
    std::string where = "source: " + RedactedUrl(current_url()).str();
    bool zipped = arrived_zipped(size);
    if (auto short_read = received_size_error(size, where, zipped)) {
        return retry(std::move(*short_read));
    }
    if (auto mismatch = served_md5_error(digests, where)) {
        // Checked before any unzipping: the header describes the bytes that crossed the network.
        m_part->discard();
        m_part.reset();
        return fail(std::move(*mismatch), true);
    }
    if (zipped) {
        return install_zipped_member(where);
    }
    if (auto mismatch = integrity_error(size, digests, where)) {
        m_part->discard();
        m_part.reset();
        return fail(std::move(*mismatch), true);
    }
    // Verified: the part goes to InstallQueue. The status stays "not downloaded" until
    // install_finished() says its bytes and directory entry are durable.
    m_verified_part = std::move(m_part);
    m_part.reset();
    m_outcome.size = size;
    m_outcome.digests = digests;
    m_outcome.error.reset();
    return AttemptVerdict::installing;
}

PartFile FileJob::take_verified_part() {
    PartFile part = std::move(*m_verified_part);
    m_verified_part.reset();
    return part;
}

void FileJob::install_finished(Result<void> installed) {
    if (!installed) {
        m_outcome.error = installed.error(); // the part stays for a resume after the fix
        m_outcome.status = TransferStatus::failed;
        return;
    }
    m_outcome.status = TransferStatus::downloaded;
}

} // namespace cxrcat::net
