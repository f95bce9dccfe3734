// SPDX-License-Identifier: Apache-2.0
// Private: one file's download over one connection, attempt by attempt.
#pragma once

#include "cxrcat/download.hpp"

#include "hashing_writer.hpp"
#include "net/curl_handles.hpp"
#include "part_file.hpp"

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>

namespace cxrcat::net {

enum class AttemptVerdict { done, retry, failed };

class FileJob {
public:
    FileJob(const TransferRequest& request, const DownloadOptions& options);

    // Prepares the next attempt's easy handle (resuming the .part when that is safe). An error here
    // is local (cannot open the part file) and final.
    Result<CURL*> start_attempt();
    // Judges the attempt libcurl just finished; on success the file is verified and installed.
    AttemptVerdict finish_attempt(CURLcode code);

    [[nodiscard]] TransferOutcome& outcome() { return m_outcome; }
    [[nodiscard]] const TransferRequest& request() const { return m_request; }
    // The server's Retry-After for the last attempt, if it sent one.
    [[nodiscard]] std::optional<std::chrono::seconds> retry_after() const { return m_retry_after; }
    // Why the last attempt failed, in words (for retry notices and the final error).
    [[nodiscard]] const std::optional<Error>& last_error() const { return m_last_error; }
    // Bytes of the file present so far, and its total size when known.
    [[nodiscard]] std::uint64_t bytes_present() const;
    [[nodiscard]] std::optional<std::uint64_t> total() const;

private:
    static std::size_t on_header(char* data, std::size_t size, std::size_t count, void* self);
    static std::size_t on_body(char* data, std::size_t size, std::size_t count, void* self);
    std::size_t handle_header_line(std::string_view line);
    std::size_t handle_body(const char* data, std::size_t size);
    // Called once the final response's headers are complete; false aborts the transfer.
    bool begin_response();
    bool sniff_and_write_head();
    AttemptVerdict fail(Error error, bool try_next_url);
    AttemptVerdict retry(Error error);
    AttemptVerdict verify_and_install();
    [[nodiscard]] std::string current_url() const { return m_request.urls.at(m_url_index); }
    [[nodiscard]] std::vector<DigestAlgorithm> algorithms() const;

    const TransferRequest& m_request;
    const DownloadOptions& m_options;
    TransferOutcome m_outcome;
    std::size_t m_url_index = 0;

    CurlEasy m_easy;
    CurlSlist m_headers;
    std::string m_error_buffer;
    std::optional<PartFile> m_part;
    std::unique_ptr<HashingWriter> m_writer;

    // Per attempt.
    std::uint64_t m_resume_from = 0;
    std::string m_validator;
    long m_status = 0;
    std::map<std::string, std::string> m_response_headers;
    bool m_response_started = false;
    std::optional<std::uint64_t> m_total;
    std::string m_head; // first bytes of the body, held back until sniffed
    bool m_sniffed = false;
    std::optional<Error> m_abort_error;       // set by a callback that stopped the transfer
    bool m_abort_try_next_url = false;
    bool m_abort_transient = false;
    std::string m_error_body;                 // start of an error response's body, for messages
    std::optional<std::chrono::seconds> m_retry_after;
    std::optional<Error> m_last_error;
};

} // namespace cxrcat::net
