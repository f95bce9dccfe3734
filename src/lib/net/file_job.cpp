// SPDX-License-Identifier: Apache-2.0
#include "net/file_job.hpp"

#include "cxrcat/redacted_url.hpp"
#include "cxrcat/text.hpp"
#include "net/curl_errors.hpp"

#include <algorithm>
#include <charconv>

namespace cxrcat::net {

namespace {

constexpr long k_receive_buffer = 512L * 1024;
constexpr std::size_t k_error_body_limit = 2048;

std::string trim(std::string_view text) {
    std::size_t start = text.find_first_not_of(" \t\r\n");
    std::size_t end = text.find_last_not_of(" \t\r\n");
    return start == std::string_view::npos ? std::string{} : std::string(text.substr(start, end - start + 1));
}

std::optional<std::uint64_t> parse_number(std::string_view text) {
    std::uint64_t value = 0;
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc() || end != text.data() + text.size()) {
        return std::nullopt;
    }
    return value;
}

struct ContentRange {
    std::optional<std::uint64_t> first;
    std::optional<std::uint64_t> total;
};

// "bytes 100-199/1000" or "bytes */1000".
ContentRange parse_content_range(std::string_view value) {
    ContentRange range;
    if (value.rfind("bytes ", 0) != 0) {
        return range;
    }
    value.remove_prefix(6);
    std::size_t slash = value.find('/');
    if (slash == std::string_view::npos) {
        return range;
    }
    range.total = parse_number(value.substr(slash + 1));
    std::string_view span = value.substr(0, slash);
    std::size_t dash = span.find('-');
    if (dash != std::string_view::npos) {
        range.first = parse_number(span.substr(0, dash));
    }
    return range;
}

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

} // namespace

FileJob::FileJob(const TransferRequest& request, const DownloadOptions& options)
    : m_request(request), m_options(options) {
    m_outcome.display_path = request.display_path;
    m_error_buffer.resize(CURL_ERROR_SIZE + 1);
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

std::uint64_t FileJob::bytes_present() const { return m_writer ? m_writer->end_offset() : m_resume_from; }

std::optional<std::uint64_t> FileJob::total() const { return m_total ? m_total : m_request.expected_size; }

Result<CURL*> FileJob::start_attempt() {
    ++m_outcome.attempts;
    m_writer.reset();
    m_status = 0;
    m_response_headers.clear();
    m_response_started = false;
    m_head.clear();
    m_sniffed = false;
    m_abort_error.reset();
    m_abort_try_next_url = false;
    m_abort_transient = false;
    m_error_body.clear();
    m_retry_after.reset();
    std::fill(m_error_buffer.begin(), m_error_buffer.end(), '\0');

    if (!m_part) {
        auto part = PartFile::open(m_request.destination);
        if (!part) {
            return part.error();
        }
        m_part.emplace(std::move(*part));
    }
    // Resume only a part that this URL produced and whose validator can prove the remote unchanged.
    std::string url = current_url();
    auto meta = PartMeta::read(m_part->meta_path());
    std::uint64_t existing = m_part->size();
    m_resume_from = 0;
    m_validator.clear();
    bool fits = !m_request.expected_size || existing <= *m_request.expected_size;
    if (existing > 0 && meta && meta->url_sha256 == sha256_hex(url) && !meta->validator().empty() && fits) {
        m_resume_from = existing;
        m_validator = meta->validator();
    } else if (existing > 0) {
        if (auto truncated = m_part->truncate(0); !truncated) {
            return truncated.error();
        }
    }

    ensure_curl_initialised();
    if (!m_easy) {
        m_easy.reset(curl_easy_init());
        if (!m_easy) {
            return Error(ErrorCode::internal, "libcurl could not create a transfer handle");
        }
    } else {
        curl_easy_reset(m_easy.get());
    }
    CURL* easy = m_easy.get();
    m_headers = CurlSlist();
    if (m_resume_from > 0) {
        m_headers.append("Range: bytes=" + std::to_string(m_resume_from) + "-");
        m_headers.append("If-Range: " + m_validator);
    }
    for (const auto& [name, value] : m_request.secret_headers) {
        m_headers.append(name + ": " + value.reveal());
    }
    set_option(easy, CURLOPT_URL, url.c_str());
    set_option(easy, CURLOPT_PROTOCOLS_STR, "http,https");
    set_option(easy, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
    set_option(easy, CURLOPT_FOLLOWLOCATION, 1L);
    set_option(easy, CURLOPT_MAXREDIRS, 10L);
    set_option(easy, CURLOPT_NOSIGNAL, 1L);
    set_option(easy, CURLOPT_BUFFERSIZE, k_receive_buffer);
    set_option(easy, CURLOPT_CONNECTTIMEOUT, static_cast<long>(m_options.connect_timeout.count()));
    set_option(easy, CURLOPT_LOW_SPEED_LIMIT, m_options.stall_bytes_per_second);
    set_option(easy, CURLOPT_LOW_SPEED_TIME, static_cast<long>(m_options.stall_time.count()));
    set_option(easy, CURLOPT_USERAGENT,
               (m_request.user_agent.empty() ? m_options.user_agent : m_request.user_agent).c_str());
    set_option(easy, CURLOPT_ERRORBUFFER, m_error_buffer.data());
    set_option(easy, CURLOPT_HEADERFUNCTION, &FileJob::on_header);
    set_option(easy, CURLOPT_HEADERDATA, this);
    set_option(easy, CURLOPT_WRITEFUNCTION, &FileJob::on_body);
    set_option(easy, CURLOPT_WRITEDATA, this);
    set_option(easy, CURLOPT_PRIVATE, this);
    if (m_headers.get() != nullptr) {
        set_option(easy, CURLOPT_HTTPHEADER, m_headers.get());
    }
    if (m_options.ca_bundle) {
        set_option(easy, CURLOPT_CAINFO, m_options.ca_bundle->c_str());
    }
    if (m_request.basic_auth) {
        // libcurl sends these to the original host only; a redirect elsewhere drops them.
        set_option(easy, CURLOPT_HTTPAUTH, static_cast<long>(CURLAUTH_BASIC));
        set_option(easy, CURLOPT_USERNAME, m_request.basic_auth->user.c_str());
        set_option(easy, CURLOPT_PASSWORD, m_request.basic_auth->password.reveal().c_str());
    }
    return easy;
}

std::size_t FileJob::on_header(char* data, std::size_t size, std::size_t count, void* self) {
    return static_cast<FileJob*>(self)->handle_header_line(std::string_view(data, size * count)) == 0 ? 0 : size * count;
}

std::size_t FileJob::on_body(char* data, std::size_t size, std::size_t count, void* self) {
    return static_cast<FileJob*>(self)->handle_body(data, size * count);
}

std::size_t FileJob::handle_header_line(std::string_view line) {
    if (line.rfind("HTTP/", 0) == 0) {
        // A new response (after a redirect or a 100 Continue): forget the previous one's headers.
        m_response_headers.clear();
        std::size_t space = line.find(' ');
        m_status = space == std::string_view::npos
                       ? 0
                       : static_cast<long>(parse_number(trim(line.substr(space + 1, 3))).value_or(0));
        return 1;
    }
    std::string text = trim(line);
    if (!text.empty()) {
        std::size_t colon = text.find(':');
        if (colon != std::string::npos) {
            m_response_headers[to_lower(text.substr(0, colon))] = trim(text.substr(colon + 1));
        }
        return 1;
    }
    // The blank line ends a response's headers. Redirects are followed by libcurl; only the final
    // response matters.
    bool redirect = m_status >= 300 && m_status < 400 && m_response_headers.count("location") > 0;
    if (redirect || m_status == 100) {
        return 1;
    }
    return begin_response() ? 1 : 0;
}

bool FileJob::begin_response() {
    m_response_started = true;
    if (auto it = m_response_headers.find("retry-after"); it != m_response_headers.end()) {
        m_retry_after = parse_retry_after(it->second, std::chrono::system_clock::now());
    }
    if (m_status != 200 && m_status != 206) {
        return true; // judged in finish_attempt; the body is kept only for the message
    }
    std::optional<std::uint64_t> length;
    if (auto it = m_response_headers.find("content-length"); it != m_response_headers.end()) {
        length = parse_number(it->second);
    }
    if (m_status == 206) {
        ContentRange range = parse_content_range(m_response_headers["content-range"]);
        if (!range.first || *range.first != m_resume_from) {
            m_abort_error = Error(ErrorCode::network, m_request.display_path +
                                                          ": the server answered a different byte range than asked");
            m_abort_transient = true;
            (void)m_part->truncate(0); // the part cannot be trusted against this server any more
            return false;
        }
        m_total = range.total;
        m_outcome.resumed = true;
    } else {
        if (m_resume_from > 0) {
            // 200 to a ranged request: the server ignores Range, or If-Range found the remote
            // changed. Either way the part is stale: never append to it.
            m_outcome.restarted = true;
            m_resume_from = 0;
            if (auto truncated = m_part->truncate(0); !truncated) {
                m_abort_error = truncated.error();
                return false;
            }
        }
        m_total = length;
        PartMeta meta{sha256_hex(current_url()), m_response_headers["etag"], m_response_headers["last-modified"], length};
        if (auto written = meta.write(m_part->meta_path()); !written) {
            m_abort_error = written.error();
            return false;
        }
    }
    if (m_total && m_request.expected_size && *m_total != *m_request.expected_size) {
        m_abort_error = Error(ErrorCode::integrity,
                              m_request.display_path + ": size mismatch: the server offers " +
                                  group_thousands(*m_total) + " bytes, the catalog expects " +
                                  group_thousands(*m_request.expected_size),
                              {"nothing was installed", "source: " + RedactedUrl(current_url()).str()});
        m_abort_try_next_url = true;
        return false;
    }
    m_writer = std::make_unique<HashingWriter>(m_part->fd(), m_part->part_path(), m_resume_from, algorithms());
    if (m_resume_from > 0) {
        if (auto rehashed = m_writer->rehash_existing(); !rehashed) {
            m_abort_error = rehashed.error();
            return false;
        }
    }
    return true;
}

bool FileJob::sniff_and_write_head() {
    m_sniffed = true;
    std::string content_type = m_response_headers["content-type"];
    SniffVerdict verdict = SniffVerdict::ok;
    if (m_resume_from == 0) {
        verdict = sniff_payload(m_request.expected_kind, content_type, std::as_bytes(std::span(m_head.data(), m_head.size())));
    } else if (to_lower(content_type).rfind("text/html", 0) == 0 && m_request.expected_kind != PayloadKind::text) {
        verdict = SniffVerdict::web_page;
    }
    if (verdict == SniffVerdict::web_page) {
        m_abort_error = Error(ErrorCode::access_denied,
                              m_request.display_path + ": the server sent a web page, not a " +
                                  std::string(to_string(m_request.expected_kind)) +
                                  " — probably a login, consent or quota page",
                              {"source: " + RedactedUrl(current_url()).str(),
                               "open the dataset's page in a browser, complete the step it asks for, then rerun",
                               "nothing was installed"});
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
        if (m_error_body.size() < k_error_body_limit) {
            m_error_body.append(data, std::min(size, k_error_body_limit - m_error_body.size()));
        }
        return size;
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
    if (size > 0 && !m_writer->append(data, size)) {
        return 0;
    }
    return consumed;
}

AttemptVerdict FileJob::fail(Error error, bool try_next_url) {
    if (try_next_url && m_url_index + 1 < m_request.urls.size()) {
        // A bad copy at a mirror: drop its bytes and go on with the next source.
        m_part->discard();
        m_part.reset();
        ++m_url_index;
        m_last_error = std::move(error);
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

AttemptVerdict FileJob::retry(Error error) {
    m_last_error = std::move(error);
    return AttemptVerdict::retry;
}

AttemptVerdict FileJob::finish_attempt(CURLcode code) {
    // Flush what arrived: after a dropped connection, those bytes are what the next attempt resumes.
    Result<void> flushed;
    if (m_writer) {
        if (!m_sniffed && code == CURLE_OK && m_abort_error == std::nullopt) {
            (void)sniff_and_write_head();
        }
        flushed = m_writer->finish();
    }
    if (m_abort_error) {
        Error error = *m_abort_error;
        if (error.code() == ErrorCode::access_denied || error.code() == ErrorCode::integrity) {
            m_part->discard();
            m_part.reset();
            return fail(std::move(error), m_abort_try_next_url);
        }
        return m_abort_transient ? retry(std::move(error)) : fail(std::move(error), false);
    }
    if (!flushed) {
        return fail(flushed.error(), false); // local I/O: the part stays for a resume after the fix
    }
    std::string where = "source: " + RedactedUrl(current_url()).str();
    if (code != CURLE_OK) {
        CurlFailure failure = classify_curl_error(code, m_error_buffer.c_str());
        Error error(failure.code, m_request.display_path + ": " + failure.message, {where});
        if (!failure.hint.empty()) {
            error.note(failure.hint);
        }
        return failure.transient ? retry(std::move(error)) : fail(std::move(error), false);
    }
    if (m_status == 416) {
        // The part already holds every byte (a run killed between download and install) or the
        // remote shrank: verify what is there, or start over.
        ContentRange range = parse_content_range(m_response_headers["content-range"]);
        if (range.total && m_part->size() == *range.total && m_resume_from == *range.total) {
            m_writer = std::make_unique<HashingWriter>(m_part->fd(), m_part->part_path(), m_resume_from, algorithms());
            if (auto rehashed = m_writer->rehash_existing(); !rehashed) {
                return fail(rehashed.error(), false);
            }
            if (auto finished = m_writer->finish(); !finished) {
                return fail(finished.error(), false);
            }
            m_outcome.resumed = true;
            return verify_and_install();
        }
        (void)m_part->truncate(0);
        return retry(Error(ErrorCode::network, m_request.display_path + ": HTTP 416: the saved part no longer fits the remote file",
                           {where}));
    }
    if (m_status != 200 && m_status != 206) {
        Error error(ErrorCode::network, m_request.display_path + ": " + status_message(m_status), {where});
        if (is_transient_http_status(m_status)) {
            return retry(std::move(error));
        }
        if (m_status == 401 || m_status == 403) {
            error = Error(ErrorCode::access_denied, m_request.display_path + ": " + status_message(m_status), {where});
            if (auto it = m_response_headers.find("x-error-code"); it != m_response_headers.end()) {
                error.note("the server says: " + it->second);
            }
        } else if (m_status == 404 || m_status == 410) {
            error = Error(ErrorCode::not_found, m_request.display_path + ": " + status_message(m_status), {where});
            error.note("the file has moved or was withdrawn; check the dataset's homepage");
        }
        return fail(std::move(error), m_status == 404 || m_status == 410);
    }
    return verify_and_install();
}

AttemptVerdict FileJob::verify_and_install() {
    std::string where = "source: " + RedactedUrl(current_url()).str();
    std::uint64_t size = m_writer->end_offset();
    if (m_request.expected_size && size < *m_request.expected_size) {
        // The connection ended early without saying so (no Content-Length): resume it.
        return retry(Error(ErrorCode::network,
                           m_request.display_path + ": the transfer ended early at " + group_thousands(size) +
                               " of " + group_thousands(*m_request.expected_size) + " bytes",
                           {where}));
    }
    if (m_total && size != *m_total) {
        return retry(Error(ErrorCode::network, m_request.display_path + ": received " + group_thousands(size) +
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
    const auto& actual = m_writer->digests();
    for (const auto& [algorithm, expected] : m_request.expected_digests) {
        auto it = actual.find(algorithm);
        if (it != actual.end() && it->second != expected) {
            std::string origin = m_request.digest_origin.empty() ? "" : " (" + m_request.digest_origin + ")";
            Error error(ErrorCode::integrity, m_request.display_path + ": " + std::string(to_string(algorithm)) + " mismatch",
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
    m_outcome.digests = actual;
    m_outcome.error.reset();
    return AttemptVerdict::done;
}

} // namespace cxrcat::net
