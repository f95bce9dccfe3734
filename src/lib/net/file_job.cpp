// SPDX-License-Identifier: Apache-2.0
// FileJob's attempt set-up: the part file, the resume point and the easy handle. The response is
// handled in file_job_response.cpp, the split in file_job_split.cpp, the verdict in
// file_job_verdict.cpp.
#include "net/file_job.hpp"

#include <algorithm>

namespace cxrcat::net {

FileJob::FileJob(const TransferRequest& request, const DownloadOptions& options)
    : m_request(request), m_options(options) {
    m_outcome.display_path = request.display_path;
    m_error_buffer.resize(CURL_ERROR_SIZE + 1);
}

FileJob::~FileJob() {
    m_prefix_abort = true;
    if (m_prefix_thread.joinable()) {
        m_prefix_thread.join();
    }
}

std::vector<DigestAlgorithm> FileJob::algorithms() const {
    std::vector<DigestAlgorithm> out{DigestAlgorithm::sha256};
    for (const auto& [algorithm, hex] : m_request.expected_digests) {
        if (algorithm != DigestAlgorithm::sha256) {
            out.push_back(algorithm);
        }
    }
    if (m_request.served_md5 && !m_request.expected_digests.contains(DigestAlgorithm::md5)) {
        out.push_back(DigestAlgorithm::md5); // for the X-Goog-Hash check
    }
    return out;
}

std::uint64_t FileJob::bytes_present() const {
    std::uint64_t present = m_writer ? m_writer->end_offset() : (m_limit ? m_main_done : m_resume_from);
    for (const auto& segment : m_segments) {
        present += segment->flushed() - segment->start();
    }
    return present;
}

std::optional<std::uint64_t> FileJob::total() const {
    return m_total ? m_total : m_request.expected_size;
}

void FileJob::reset_attempt_state() {
    if (m_hop_url.empty()) {
        ++m_outcome.attempts; // following a redirect is part of the same attempt
    }
    m_writer.reset();
    m_response.clear();
    m_response_started = false;
    m_head.clear();
    m_sniffed = false;
    m_abort_error.reset();
    m_size_mismatch.reset();
    m_abort_try_next_url = false;
    m_abort_transient = false;
    m_retry_after.reset();
    m_reached_limit = false;
    std::fill(m_error_buffer.begin(), m_error_buffer.end(), '\0');
}

Result<void> FileJob::choose_resume_point(const std::string& url) {
    if (m_limit) {
        m_resume_from = m_main_done;
        return {};
    }
    // Resume only a part that this URL produced and whose validator can prove the remote unchanged.
    auto meta = PartMeta::read(m_part->meta_path());
    std::uint64_t existing = m_part->size();
    m_resume_from = 0;
    m_validator.clear();
    bool same_source = meta && meta->url_sha256 == sha256_hex(url) && !meta->validator().empty();
    bool fits = !m_request.expected_size || existing <= *m_request.expected_size;
    if (same_source && !meta->segments.empty()) {
        m_validator = meta->validator();
        if (restore_split(*meta)) {
            m_resume_from = m_main_done;
        }
    } else if (same_source && existing > 0 && fits) {
        m_resume_from = existing;
        m_validator = meta->validator();
    }
    if (!m_limit && m_resume_from == 0 && existing > 0) {
        return m_part->truncate(0);
    }
    return {};
}

std::vector<std::string> FileJob::range_headers() const {
    if (m_limit) {
        return {"Range: bytes=" + std::to_string(m_resume_from) + "-" + std::to_string(*m_limit - 1),
                "If-Range: " + m_validator};
    }
    if (m_resume_from > 0) {
        return {"Range: bytes=" + std::to_string(m_resume_from) + "-", "If-Range: " + m_validator};
    }
    std::optional<std::uint64_t> size = m_linked_size ? m_linked_size : m_request.expected_size;
    if (size && *size > m_options.range_only_above) {
        return {"Range: bytes=0-"}; // too large for a plain GET (DownloadOptions::range_only_above)
    }
    return {};
}

Result<CURL*> FileJob::start_attempt() {
    reset_attempt_state();
    if (!m_part) {
        auto part = PartFile::open(m_request.destination);
        if (!part) {
            return part.error();
        }
        m_part.emplace(std::move(*part));
    }
    std::string url = current_url();
    if (auto resumed = choose_resume_point(url); !resumed) {
        return resumed.error();
    }
    std::vector<std::string> extra = range_headers();
    ensure_curl_initialised();
    // A fresh handle per attempt: libcurl 7.88 refuses CURLOPT_BUFFERSIZE on a handle whose receive
    // buffer is still allocated (after a failed resolve or connect), and nothing of a failed attempt
    // should leak into the next one anyway.
    m_easy.reset(curl_easy_init());
    if (!m_easy) {
        return Error(ErrorCode::internal, "libcurl could not create a transfer handle");
    }
    m_attempt_url = !m_hop_url.empty() ? m_hop_url : (extra.empty() ? url : ranged_url());
    configure_easy(m_easy.get(), m_headers, m_request, m_options, m_attempt_url, extra,
                   {&FileJob::on_header, &FileJob::on_body, this, m_error_buffer.data()},
                   {.follow = !follows_own_redirects(), .credentials = !m_hop_cross_host});
    return m_easy.get();
}

void FileJob::release_transfer_resources() {
    if (m_writer) {
        m_resume_from = m_writer->end_offset(); // what bytes_present() reports from now on
        m_writer.reset();
    }
    m_easy.reset();
    m_headers = CurlSlist();
    std::string().swap(m_head);
}

} // namespace cxrcat::net
