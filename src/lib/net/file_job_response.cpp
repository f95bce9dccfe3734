// SPDX-License-Identifier: Apache-2.0
// FileJob's response handling, called from libcurl's callbacks: the status line and headers decide
// whether the body is written, its first bytes are sniffed before anything reaches the part.
#include "base/rate_limit_header.hpp"
#include "base/remote_text.hpp"
#include "cxrcat/base/redacted_url.hpp"
#include "cxrcat/base/text.hpp"
#include "net/file_job.hpp"

#include <algorithm>

namespace cxrcat::net {

namespace {

bool is_strong_etag(const std::string& etag) {
    return !etag.empty() && etag.rfind("W/", 0) != 0;
}

} // namespace

std::size_t FileJob::on_header(char* data, std::size_t size, std::size_t count, void* self) {
    auto* job = static_cast<FileJob*>(self);
    if (job->m_response.add_line(std::string_view(data, size * count)) && !job->begin_response()) {
        return 0;
    }
    return size * count;
}

std::size_t FileJob::on_body(char* data, std::size_t size, std::size_t count, void* self) {
    auto* job = static_cast<FileJob*>(self);
    if (!job->admit_body(job->m_easy.get(), size * count)) {
        return CURL_WRITEFUNC_PAUSE;
    }
    return job->handle_body(data, size * count);
}

bool FileJob::accept_partial_response() {
    ContentRange range = parse_content_range(m_response.get("content-range"));
    if (!range.first || *range.first != m_resume_from) {
        m_abort_error = Error(ErrorCode::network,
                              m_request.display_path + ": the server answered a different byte range than asked");
        m_abort_transient = true;
        return false;
    }
    if (m_resume_from == 0 && !m_limit) {
        // The whole file, asked for with Range because it is too large for a plain GET.
        return record_part(range.total);
    }
    m_total = range.total;
    m_outcome.resumed = true;
    return true;
}

bool FileJob::accept_full_response() {
    if (m_limit || m_resume_from > 0) {
        // 200 to a ranged request: the server ignores Range, or If-Range found the remote
        // changed. Either way the part is stale: never append to it.
        m_abort_error = Error(ErrorCode::network,
                              m_request.display_path + ": the remote file changed (or ignores Range); starting over");
        m_abort_transient = true;
        m_outcome.restarted = true;
        return false;
    }
    std::optional<std::uint64_t> length;
    if (auto text = m_response.get("content-length"); !text.empty()) {
        length = std::strtoull(text.c_str(), nullptr, 10);
    }
    return record_part(length);
}

bool FileJob::record_part(std::optional<std::uint64_t> length) {
    m_total = length;
    std::string etag = m_response.get("etag");
    std::string last_modified = m_response.get("last-modified");
    m_validator = is_strong_etag(etag) ? etag : last_modified;
    PartMeta meta{sha256_hex(current_url()), etag, last_modified, length, {}};
    if (auto written = meta.write(m_part->meta_path()); !written) {
        m_abort_error = written.error();
        return false;
    }
    return true;
}

bool FileJob::begin_response() {
    m_response_started = true;
    long status = m_response.status();
    // Only a 429 or 503 asks the client to wait: Zenodo sends Retry-After on its 200s and 206s too.
    if (auto retry_after = m_response.get("retry-after"); !retry_after.empty() && honours_retry_after(status)) {
        m_retry_after = parse_retry_after(retry_after, std::chrono::system_clock::now());
    }
    if (!m_retry_after && status == 429) {
        m_retry_after = parse_ratelimit_reset(m_response.get("ratelimit")); // the Hub's window reset
    }
    if (status != 200 && status != 206) {
        return true; // judged in finish_attempt
    }
    if (!(status == 206 ? accept_partial_response() : accept_full_response())) {
        return false;
    }
    if (follows_own_redirects()) {
        // The end of the job's own chain: segments skip the resolve and its token off the Hub.
        m_resolved_target = SegmentTarget{m_attempt_url, {.follow = false, .credentials = !m_hop_cross_host}};
    }
    if (m_request.own_redirects && !m_hop_cross_host && m_outcome.served_revision.empty()) {
        // A file the Hub serves itself (no LFS redirect) names its commit on the answer.
        m_outcome.served_revision = providers::printable_excerpt(m_response.get("x-repo-commit"), 64);
    }
    if (m_total && m_request.expected_size && *m_total != *m_request.expected_size) {
        // Reported after sniffing the head (sniff_and_write_head): nothing of it is written.
        m_size_mismatch =
            Error(ErrorCode::integrity,
                  m_request.display_path + ": size mismatch: the server offers " + group_thousands(*m_total) +
                      " bytes, the catalog expects " + group_thousands(*m_request.expected_size),
                  {"nothing was installed", "source: " + RedactedUrl(current_url()).str()});
    }
    m_writer = std::make_unique<HashingWriter>(m_part->fd(), m_part->part_path(), m_resume_from, algorithms());
    if (m_resume_from > 0) {
        if (auto rehashed = m_writer->rehash_existing(); !rehashed) {
            m_abort_error = rehashed.error();
            return false;
        }
    }
    m_body_started = std::chrono::steady_clock::now();
    return true;
}

SniffVerdict FileJob::sniff_head() const {
    std::string content_type = m_response.get("content-type");
    if (m_resume_from == 0) {
        return sniff_payload(m_request.expected_kind, content_type,
                             std::as_bytes(std::span(m_head.data(), m_head.size())));
    }
    if (to_lower(content_type).rfind("text/html", 0) == 0 && m_request.expected_kind != PayloadKind::text) {
        return SniffVerdict::web_page;
    }
    return SniffVerdict::ok;
}

bool FileJob::sniff_and_write_head() {
    m_sniffed = true;
    SniffVerdict verdict = sniff_head();
    if ((m_size_mismatch || verdict == SniffVerdict::wrong_format) && zip_in_place()) {
        // A zip holding the file alone, which the request allows: judged once it has arrived.
        m_size_mismatch.reset();
        verdict = SniffVerdict::ok;
    }
    if (verdict == SniffVerdict::web_page) {
        m_abort_error =
            Error(ErrorCode::access_denied,
                  m_request.display_path + ": the server sent a web page, not a " +
                      std::string(to_string(m_request.expected_kind)) + " — probably a login, consent or quota page",
                  {"source: " + RedactedUrl(current_url()).str(),
                   "open the dataset's page in a browser, complete the step it asks for, then rerun",
                   "nothing was installed"});
        HttpFailure http;
        http.status = m_response.status();
        http.web_page = true;
        http.path = m_request.display_path;
        http.url = RedactedUrl(current_url()).str();
        m_abort_error->with_http(std::move(http));
        m_abort_try_next_url = true;
        return false;
    }
    if (m_size_mismatch) {
        m_abort_error = std::move(m_size_mismatch);
        m_size_mismatch.reset();
        m_abort_try_next_url = true;
        return false;
    }
    if (verdict == SniffVerdict::wrong_format) {
        m_abort_error = Error(ErrorCode::integrity,
                              m_request.display_path + ": the data is not a " +
                                  std::string(to_string(m_request.expected_kind)) + " as its name says",
                              {"source: " + RedactedUrl(current_url()).str(), "nothing was installed"});
        m_abort_try_next_url = true;
        return false;
    }
    if (!m_head.empty() && !m_writer->append(m_head.data(), m_head.size())) {
        return false;
    }
    m_head.clear();
    m_head.shrink_to_fit();
    return true;
}

std::size_t FileJob::handle_body(const char* data, std::size_t size) {
    if (!m_writer) {
        return size; // an error page: judged by its status, never written
    }
    m_outcome.bytes_received += size;
    const std::size_t consumed = size;
    if (!m_sniffed) {
        std::size_t take = std::min(size, k_sniff_bytes - m_head.size());
        m_head.append(data, take);
        data += take;
        size -= take;
        if (m_head.size() < k_sniff_bytes && m_resume_from == 0) {
            return consumed;
        }
        if (!sniff_and_write_head()) {
            return 0;
        }
    }
    if (m_limit) {
        // The rest of the file belongs to segments: stop this stream at its share.
        std::uint64_t room = *m_limit - std::min(*m_limit, m_writer->end_offset());
        if (size > room) {
            if (room > 0 && !m_writer->append(data, static_cast<std::size_t>(room))) {
                return 0;
            }
            m_reached_limit = true;
            return 0;
        }
    }
    if (size > 0 && !m_writer->append(data, size)) {
        return 0;
    }
    return consumed;
}

} // namespace cxrcat::net
