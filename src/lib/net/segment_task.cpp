// SPDX-License-Identifier: Apache-2.0
#include "net/segment_task.hpp"

#include "cxrcat/base/redacted_url.hpp"
#include "net/curl_errors.hpp"

#include <algorithm>

namespace cxrcat::net {

SegmentTask::SegmentTask(const TransferRequest& request, const DownloadOptions& options, int fd,
                         std::filesystem::path part_path, std::string validator, SegmentProgress range)
    : m_request(request), m_options(options), m_fd(fd), m_part_path(std::move(part_path)),
      m_validator(std::move(validator)), m_start(range.start), m_end(range.end),
      m_flushed(std::make_shared<std::atomic<std::uint64_t>>(std::max(range.start, range.done))) {
    m_error_buffer.resize(CURL_ERROR_SIZE + 1);
}

Result<CURL*> SegmentTask::start_attempt() {
    ++m_attempts;
    m_response.clear();
    m_response_ok = false;
    m_retry_after.reset();
    std::fill(m_error_buffer.begin(), m_error_buffer.end(), '\0');
    std::uint64_t from = flushed();
    m_writer = std::make_unique<HashingWriter>(m_fd, m_part_path, from, std::vector<DigestAlgorithm>{}, m_flushed);
    ensure_curl_initialised();
    // A fresh handle per attempt, as in FileJob::start_attempt.
    m_easy.reset(curl_easy_init());
    if (!m_easy) {
        return Error(ErrorCode::internal, "libcurl could not create a transfer handle");
    }
    configure_easy(
        m_easy.get(), m_headers, m_request, m_options, m_url,
        {"Range: bytes=" + std::to_string(from) + "-" + std::to_string(m_end - 1), "If-Range: " + m_validator},
        {&SegmentTask::on_header, &SegmentTask::on_body, this, m_error_buffer.data()}, m_hop);
    return m_easy.get();
}

std::size_t SegmentTask::on_header(char* data, std::size_t size, std::size_t count, void* self) {
    auto* task = static_cast<SegmentTask*>(self);
    if (task->m_response.add_line(std::string_view(data, size * count))) {
        long status = task->m_response.status();
        if (status == 200) {
            task->m_remote_changed = true;
            return 0;
        }
        if (status == 206) {
            ContentRange range = parse_content_range(task->m_response.get("content-range"));
            if (!range.first || *range.first != task->flushed()) {
                task->m_remote_changed = true;
                return 0;
            }
            task->m_response_ok = true;
        }
        if (auto retry_after = task->m_response.get("retry-after");
            !retry_after.empty() && honours_retry_after(task->m_response.status())) {
            task->m_retry_after = parse_retry_after(retry_after, std::chrono::system_clock::now());
        }
    }
    return size * count;
}

std::size_t SegmentTask::on_body(char* data, std::size_t size, std::size_t count, void* self) {
    auto* task = static_cast<SegmentTask*>(self);
    std::size_t bytes = size * count;
    if (!task->admit_body(task->m_easy.get(), bytes)) {
        return CURL_WRITEFUNC_PAUSE;
    }
    if (!task->m_response_ok) {
        return bytes; // an error page: judged by its status
    }
    task->m_bytes_received += bytes;
    // Never write past the segment, whatever the server sends.
    std::uint64_t room = task->m_end - std::min(task->m_end, task->m_writer->end_offset());
    auto take = static_cast<std::size_t>(std::min<std::uint64_t>(room, bytes));
    if (take > 0 && !task->m_writer->append(data, take)) {
        return 0;
    }
    return bytes;
}

AttemptVerdict SegmentTask::finish_attempt(CURLcode code) {
    auto closed = m_writer->close();
    m_writer.reset();
    std::string where = "source: " + RedactedUrl(m_url).str();
    if (!closed) {
        m_last_error = closed.error();
        return AttemptVerdict::failed;
    }
    if (m_remote_changed) {
        m_last_error = Error(ErrorCode::network,
                             m_request.display_path + ": the remote file changed during the download", {where});
        return AttemptVerdict::failed;
    }
    if (complete()) {
        return AttemptVerdict::done;
    }
    if (code != CURLE_OK) {
        CurlFailure failure = classify_curl_error(
            code, m_error_buffer.c_str()); // NOLINT(readability-redundant-string-cstr): cut at the NUL
        m_last_error = Error(failure.code, m_request.display_path + ": " + failure.message, {where});
        return failure.transient ? AttemptVerdict::retry : AttemptVerdict::failed;
    }
    long status = m_response.status();
    if (status == 206 || is_transient_http_status(status)) {
        m_last_error =
            Error(ErrorCode::network,
                  m_request.display_path + ": segment ended early (HTTP " + std::to_string(status) + ")", {where});
        if (status != 206) {
            HttpFailure http;
            http.status = status;
            http.path = m_request.display_path;
            http.url = RedactedUrl(m_url).str();
            m_last_error->with_http(std::move(http));
        }
        return AttemptVerdict::retry;
    }
    m_last_error = Error(status == 401 || status == 403 ? ErrorCode::access_denied : ErrorCode::network,
                         m_request.display_path + ": HTTP " + std::to_string(status) + " for a segment", {where});
    HttpFailure http;
    http.status = status;
    http.provider_code = m_response.get("x-error-code");
    http.path = m_request.display_path;
    http.url = RedactedUrl(m_url).str();
    m_last_error->with_http(std::move(http));
    return AttemptVerdict::failed;
}

} // namespace cxrcat::net
