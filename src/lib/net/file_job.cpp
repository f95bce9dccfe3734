// SPDX-License-Identifier: Apache-2.0
#include "net/file_job.hpp"

#include "cxrcat/redacted_url.hpp"
#include "cxrcat/text.hpp"
#include "net/curl_errors.hpp"

#include <algorithm>
#include <cerrno>
#include <unistd.h>

namespace cxrcat::net {

namespace {

constexpr std::size_t k_error_body_limit = 2048;
// A stream slower than this after the warm-up is worth splitting (servers such as Box and Zenodo
// throttle each connection); a faster one is left alone, since splitting costs a read-back.
constexpr double k_split_below_bytes_per_second = 64.0 * 1024 * 1024;
constexpr auto k_split_warm_up = std::chrono::seconds(1);

std::string status_message(long status) {
    switch (status) {
    case 401: return "HTTP 401 Unauthorized: the server wants credentials, or refused the ones given";
    case 403: return "HTTP 403 Forbidden: access to this file is not granted";
    case 404: return "HTTP 404 Not Found";
    case 410: return "HTTP 410 Gone";
    case 429: return "HTTP 429 Too Many Requests";
    default: return "HTTP " + std::to_string(status);
    }
}

bool is_strong_validator(const std::string& etag) {
    return !etag.empty() && etag.rfind("W/", 0) != 0;
}

} // namespace

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

bool FileJob::restore_split(const PartMeta& meta) {
    const auto& segments = meta.segments;
    if (!meta.total || segments.size() < 2 || segments.front().start != 0 || segments.back().end != *meta.total) {
        return false;
    }
    for (std::size_t i = 0; i < segments.size(); ++i) {
        bool contiguous = i == 0 || segments[i].start == segments[i - 1].end;
        if (!contiguous || segments[i].done < segments[i].start || segments[i].done > segments[i].end ||
            segments[i].start >= segments[i].end) {
            return false;
        }
    }
    m_total = meta.total;
    m_limit = segments.front().end;
    // The main stream always makes one request, so that its digest is rebuilt from disk and its
    // response re-checks the validator; when its bytes are all there, it fetches its last byte again.
    m_main_done = std::min(segments.front().done, *m_limit - 1);
    for (std::size_t i = 1; i < segments.size(); ++i) {
        m_segments.push_back(std::make_unique<SegmentTask>(m_request, m_options, m_part->fd(), m_part->part_path(),
                                                           ranged_url(), m_validator, segments[i]));
        if (!m_segments.back()->complete()) {
            m_new_segments.push_back(m_segments.back().get());
        }
    }
    m_outcome.resumed = true;
    m_outcome.segments = static_cast<int>(segments.size());
    return true;
}

Result<CURL*> FileJob::start_attempt() {
    ++m_outcome.attempts;
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

    if (!m_part) {
        auto part = PartFile::open(m_request.destination);
        if (!part) {
            return part.error();
        }
        m_part.emplace(std::move(*part));
    }
    std::string url = current_url();
    if (m_limit) {
        m_resume_from = m_main_done;
    } else {
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
            if (auto truncated = m_part->truncate(0); !truncated) {
                return truncated.error();
            }
        }
    }

    std::vector<std::string> extra;
    if (m_limit) {
        extra.push_back("Range: bytes=" + std::to_string(m_resume_from) + "-" + std::to_string(*m_limit - 1));
        extra.push_back("If-Range: " + m_validator);
    } else if (m_resume_from > 0) {
        extra.push_back("Range: bytes=" + std::to_string(m_resume_from) + "-");
        extra.push_back("If-Range: " + m_validator);
    }
    ensure_curl_initialised();
    // A fresh handle per attempt: libcurl 7.88 refuses CURLOPT_BUFFERSIZE on a handle whose receive
    // buffer is still allocated (after a failed resolve or connect), and nothing of a failed attempt
    // should leak into the next one anyway.
    m_easy.reset(curl_easy_init());
    if (!m_easy) {
        return Error(ErrorCode::internal, "libcurl could not create a transfer handle");
    }
    configure_easy(m_easy.get(), m_headers, m_request, m_options, extra.empty() ? url : ranged_url(), extra,
                   {&FileJob::on_header, &FileJob::on_body, this, m_error_buffer.data()});
    return m_easy.get();
}

std::size_t FileJob::on_header(char* data, std::size_t size, std::size_t count, void* self) {
    auto* job = static_cast<FileJob*>(self);
    if (job->m_response.add_line(std::string_view(data, size * count)) && !job->begin_response()) {
        return 0;
    }
    return size * count;
}

std::size_t FileJob::on_body(char* data, std::size_t size, std::size_t count, void* self) {
    return static_cast<FileJob*>(self)->handle_body(data, size * count);
}

bool FileJob::begin_response() {
    m_response_started = true;
    long status = m_response.status();
    if (auto retry_after = m_response.get("retry-after"); !retry_after.empty()) {
        m_retry_after = parse_retry_after(retry_after, std::chrono::system_clock::now());
    }
    if (status != 200 && status != 206) {
        return true; // judged in finish_attempt
    }
    if (status == 206) {
        ContentRange range = parse_content_range(m_response.get("content-range"));
        if (!range.first || *range.first != m_resume_from) {
            m_abort_error = Error(ErrorCode::network,
                                  m_request.display_path + ": the server answered a different byte range than asked");
            m_abort_transient = true;
            return false;
        }
        m_total = range.total;
        m_outcome.resumed = true;
    } else {
        if (m_limit || m_resume_from > 0) {
            // 200 to a ranged request: the server ignores Range, or If-Range found the remote
            // changed. Either way the part is stale: never append to it.
            m_abort_error =
                Error(ErrorCode::network,
                      m_request.display_path + ": the remote file changed (or ignores Range); starting over");
            m_abort_transient = true;
            m_outcome.restarted = true;
            return false;
        }
        std::optional<std::uint64_t> length;
        if (auto text = m_response.get("content-length"); !text.empty()) {
            length = std::strtoull(text.c_str(), nullptr, 10);
        }
        m_total = length;
        std::string etag = m_response.get("etag");
        std::string last_modified = m_response.get("last-modified");
        m_validator = is_strong_validator(etag) ? etag : last_modified;
        PartMeta meta{sha256_hex(current_url()), etag, last_modified, length, {}};
        if (auto written = meta.write(m_part->meta_path()); !written) {
            m_abort_error = written.error();
            return false;
        }
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

bool FileJob::sniff_and_write_head() {
    m_sniffed = true;
    std::string content_type = m_response.get("content-type");
    SniffVerdict verdict = SniffVerdict::ok;
    if (m_resume_from == 0) {
        verdict = sniff_payload(m_request.expected_kind, content_type,
                                std::as_bytes(std::span(m_head.data(), m_head.size())));
    } else if (to_lower(content_type).rfind("text/html", 0) == 0 && m_request.expected_kind != PayloadKind::text) {
        verdict = SniffVerdict::web_page;
    }
    if (verdict == SniffVerdict::web_page) {
        m_abort_error =
            Error(ErrorCode::access_denied,
                  m_request.display_path + ": the server sent a web page, not a " +
                      std::string(to_string(m_request.expected_kind)) + " — probably a login, consent or quota page",
                  {"source: " + RedactedUrl(current_url()).str(),
                   "open the dataset's page in a browser, complete the step it asks for, then rerun",
                   "nothing was installed"});
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

bool FileJob::should_split(std::chrono::steady_clock::time_point now) const {
    if (m_limit || !m_writer || m_options.max_segments < 2 || !m_total || m_validator.empty() ||
        m_response.status() != 200 || m_response.get("accept-ranges") != "bytes") {
        return false;
    }
    std::uint64_t position = m_writer->end_offset();
    if (*m_total <= position || *m_total - position < m_options.segment_threshold) {
        return false;
    }
    auto elapsed = now - m_body_started;
    if (elapsed < k_split_warm_up) {
        return false;
    }
    double rate = static_cast<double>(m_outcome.bytes_received) / std::chrono::duration<double>(elapsed).count();
    return rate < k_split_below_bytes_per_second;
}

void FileJob::split() {
    std::uint64_t position = m_writer->end_offset();
    std::uint64_t remaining = *m_total - position;
    auto count = static_cast<std::uint64_t>(m_options.max_segments);
    std::uint64_t share = remaining / count;
    m_limit = position + share;
    std::uint64_t start = *m_limit;
    for (std::uint64_t k = 1; k < count; ++k) {
        std::uint64_t end = k + 1 == count ? *m_total : start + share;
        m_segments.push_back(std::make_unique<SegmentTask>(m_request, m_options, m_part->fd(), m_part->part_path(),
                                                           ranged_url(), m_validator,
                                                           SegmentProgress{start, end, start}));
        m_new_segments.push_back(m_segments.back().get());
        start = end;
    }
    m_outcome.segments = static_cast<int>(count);
    save_split_progress();
}

std::vector<SegmentTask*> FileJob::take_new_segments() {
    return std::exchange(m_new_segments, {});
}

void FileJob::save_split_progress() const {
    if (!m_limit || !m_part) {
        return;
    }
    PartMeta meta{sha256_hex(current_url()),
                  m_validator.rfind('"', 0) == 0 ? m_validator : "",
                  m_validator.rfind('"', 0) == 0 ? "" : m_validator,
                  m_total,
                  {}};
    std::uint64_t main_done = m_writer ? m_writer->end_offset() : m_main_done;
    meta.segments.push_back({0, *m_limit, std::min(main_done, *m_limit)});
    for (const auto& segment : m_segments) {
        meta.segments.push_back({segment->start(), segment->end(), segment->flushed()});
    }
    (void)meta.write(m_part->meta_path()); // best effort: a stale record only costs a re-download
}

void FileJob::start_prefix_hashing() {
    // The digest continues in file order past the main stream, reading each segment's bytes back
    // as soon as they are on disk (from the page cache, while the download goes on).
    m_prefix_thread = std::thread([this] {
        constexpr std::size_t k_chunk = 1U << 20;
        std::vector<char> buffer(k_chunk);
        std::uint64_t position = *m_limit;
        std::uint64_t total = *m_total;
        while (position < total && !m_prefix_abort) {
            const SegmentTask* segment = nullptr;
            for (const auto& candidate : m_segments) {
                if (candidate->start() <= position && position < candidate->end()) {
                    segment = candidate.get();
                }
            }
            std::uint64_t available = segment != nullptr ? segment->flushed() : position;
            if (available <= position) {
                std::this_thread::sleep_for(std::chrono::milliseconds(2));
                continue;
            }
            auto want = static_cast<std::size_t>(std::min<std::uint64_t>(available - position, k_chunk));
            ssize_t got = ::pread(m_part->fd(), buffer.data(), want, static_cast<off_t>(position));
            if (got < 0 && errno == EINTR) {
                continue;
            }
            if (got <= 0) {
                m_prefix_error = file_error("cannot read back", m_part->part_path(), got < 0 ? errno : EIO);
                break;
            }
            for (auto& hasher : m_prefix_hashers) {
                hasher.update(std::as_bytes(std::span(buffer.data(), static_cast<std::size_t>(got))));
            }
            position += static_cast<std::uint64_t>(got);
        }
        m_prefix_done = true;
    });
}

void FileJob::stop_split() {
    m_prefix_abort = true;
    if (m_prefix_thread.joinable()) {
        m_prefix_thread.join();
    }
    m_prefix_abort = false;
    m_prefix_done = false;
    m_prefix_error.reset();
    m_prefix_hashers.clear();
    for (auto& segment : m_segments) {
        m_outcome.bytes_received += segment->bytes_received();
        m_retired.push_back(std::move(segment));
    }
    m_segments.clear();
    m_new_segments.clear();
    m_limit.reset();
    m_main_done = 0;
    m_main_finished = false;
    m_outcome.segments = 1;
}

AttemptVerdict FileJob::segment_failed(const SegmentTask& segment) {
    Error error =
        segment.last_error().value_or(Error(ErrorCode::network, m_request.display_path + ": a segment failed"));
    bool changed = segment.remote_changed();
    if (m_writer) {
        (void)m_writer->close();
        m_main_done = m_writer->end_offset();
        m_writer.reset();
    }
    save_split_progress();
    stop_split();
    if (changed && m_part) {
        m_outcome.restarted = true;
        (void)m_part->truncate(0);
        std::error_code ignored;
        std::filesystem::remove(m_part->meta_path(), ignored);
        return retry(std::move(error));
    }
    return fail(std::move(error), false);
}

std::optional<AttemptVerdict> FileJob::poll_split() {
    if (!m_main_finished || !m_prefix_done ||
        !std::all_of(m_segments.begin(), m_segments.end(), [](const auto& segment) { return segment->complete(); })) {
        return std::nullopt;
    }
    m_prefix_thread.join();
    if (m_prefix_error) {
        return fail(*m_prefix_error, false);
    }
    std::map<DigestAlgorithm, std::string> digests;
    for (auto& hasher : m_prefix_hashers) {
        digests[hasher.algorithm()] = hasher.finish_hex();
    }
    std::uint64_t size = *m_total;
    m_prefix_hashers.clear();
    for (auto& segment : m_segments) {
        m_outcome.bytes_received += segment->bytes_received();
        m_retired.push_back(std::move(segment));
    }
    m_segments.clear();
    return verify_and_install(size, digests);
}

bool FileJob::switch_source(const Error& error) {
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
    if (m_part && m_part->size() == 0) {
        m_part->discard(); // nothing to resume: leave no empty .part behind
        m_part.reset();
    }
    m_outcome.error = std::move(error);
    m_outcome.status = TransferStatus::failed;
    return AttemptVerdict::failed;
}

void FileJob::give_up(Error error) {
    if (m_part && m_part->size() == 0) {
        m_part->discard();
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
        Error error = *m_abort_error;
        if (error.code() == ErrorCode::access_denied || error.code() == ErrorCode::integrity) {
            m_part->discard();
            m_part.reset();
            return fail(std::move(error), m_abort_try_next_url);
        }
        if (m_outcome.restarted) {
            // The remote changed under a resumed or split download: the next attempt starts at zero.
            stop_split();
            (void)m_part->truncate(0);
            std::error_code ignored;
            std::filesystem::remove(m_part->meta_path(), ignored);
        }
        return m_abort_transient ? retry(std::move(error)) : fail(std::move(error), false);
    }
    if (!flushed) {
        return fail(flushed.error(), false); // local I/O: the part stays for a resume after the fix
    }
    std::string where = "source: " + RedactedUrl(current_url()).str();
    bool main_stream_done = m_limit && m_writer && m_main_done >= *m_limit &&
                            (code == CURLE_OK || (code == CURLE_WRITE_ERROR && m_reached_limit));
    if (main_stream_done) {
        m_main_finished = true;
        m_prefix_hashers = m_writer->release_hashers();
        m_writer.reset();
        start_prefix_hashing();
        return AttemptVerdict::waiting;
    }
    if (code != CURLE_OK) {
        CurlFailure failure = classify_curl_error(
            code, m_error_buffer.c_str()); // NOLINT(readability-redundant-string-cstr): cut at the NUL
        Error error(failure.code, m_request.display_path + ": " + failure.message, {where});
        if (!failure.hint.empty()) {
            error.note(failure.hint);
        }
        return failure.transient ? retry(std::move(error)) : fail(std::move(error), false);
    }
    long status = m_response.status();
    if (status == 416 && !m_limit) {
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
                           m_request.display_path + ": HTTP 416: the saved part no longer fits the remote file",
                           {where}));
    }
    if (status != 200 && status != 206) {
        Error error(ErrorCode::network, m_request.display_path + ": " + status_message(status), {where});
        if (is_transient_http_status(status)) {
            return retry(std::move(error));
        }
        if (status == 401 || status == 403) {
            error = Error(ErrorCode::access_denied, m_request.display_path + ": " + status_message(status), {where});
            if (auto code_header = m_response.get("x-error-code"); !code_header.empty()) {
                error.note("the server says: " + code_header);
            }
        } else if (status == 404 || status == 410) {
            error = Error(ErrorCode::not_found, m_request.display_path + ": " + status_message(status), {where});
            error.note("the file has moved or was withdrawn; check the dataset's homepage");
        }
        // After a redirect the failure belongs to another host (a signed CDN URL, not the provider):
        // say so, so that ProviderClient::explain can tell the two apart.
        char* effective = nullptr;
        if (curl_easy_getinfo(m_easy.get(), CURLINFO_EFFECTIVE_URL, &effective) == CURLE_OK && effective != nullptr &&
            effective != current_url() && effective != ranged_url()) {
            error.note("redirected to: " + RedactedUrl(effective).str());
        }
        return fail(std::move(error), status == 404 || status == 410);
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

void FileJob::release_transfer_resources() {
    if (m_writer) {
        m_resume_from = m_writer->end_offset(); // what bytes_present() reports from now on
        m_writer.reset();
    }
    m_easy.reset();
    m_headers = CurlSlist();
    std::string().swap(m_head);
}

AttemptVerdict FileJob::verify_and_install(std::uint64_t size, const std::map<DigestAlgorithm, std::string>& digests) {
    std::string where = "source: " + RedactedUrl(current_url()).str();
    if (m_request.expected_size && size < *m_request.expected_size) {
        // The connection ended early without saying so (no Content-Length): resume it.
        return retry(Error(ErrorCode::network,
                           m_request.display_path + ": the transfer ended early at " + group_thousands(size) + " of " +
                               group_thousands(*m_request.expected_size) + " bytes",
                           {where}));
    }
    if (m_total && size != *m_total) {
        return retry(Error(ErrorCode::network,
                           m_request.display_path + ": received " + group_thousands(size) +
                               " bytes, the server announced " + group_thousands(*m_total),
                           {where}));
    }
    if (m_request.expected_size && size != *m_request.expected_size) {
        Error error(ErrorCode::integrity, m_request.display_path + ": size mismatch",
                    {"expected " + group_thousands(*m_request.expected_size) + " bytes",
                     "actual   " + group_thousands(size) + " bytes", where, "nothing was installed"});
        m_part->discard();
        m_part.reset();
        return fail(std::move(error), true);
    }
    for (const auto& [algorithm, expected] : m_request.expected_digests) {
        auto it = digests.find(algorithm);
        if (it != digests.end() && it->second != expected) {
            std::string origin = m_request.digest_origin.empty() ? "" : " (" + m_request.digest_origin + ")";
            Error error(ErrorCode::integrity,
                        m_request.display_path + ": " + std::string(to_string(algorithm)) + " mismatch",
                        {"expected " + expected + origin, "actual   " + it->second, where,
                         "nothing was installed; rerun to download it again"});
            m_part->discard();
            m_part.reset();
            return fail(std::move(error), true);
        }
    }
    if (auto committed = m_part->commit(); !committed) {
        return fail(committed.error(), false);
    }
    m_part.reset();
    m_outcome.status = TransferStatus::downloaded;
    m_outcome.size = size;
    m_outcome.digests = digests;
    m_outcome.error.reset();
    return AttemptVerdict::done;
}

} // namespace cxrcat::net
