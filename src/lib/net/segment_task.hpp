// SPDX-License-Identifier: Apache-2.0
// Private: one byte range of a split download, on its own connection. It only writes; the file's
// digest is computed in file order by its FileJob.
#pragma once

#include "cxrcat/net/download.hpp"
#include "files/part_file.hpp"
#include "net/curl_task.hpp"
#include "net/easy_setup.hpp"
#include "verify/hashing_writer.hpp"

#include <atomic>
#include <memory>

namespace cxrcat::net {

class SegmentTask final : public CurlTask {
  public:
    SegmentTask(const TransferRequest& request, const DownloadOptions& options, int fd, std::filesystem::path part_path,
                std::string validator, SegmentProgress range);

    // Where every attempt of this segment goes, set by its FileJob before the first one: the file's
    // origin (libcurl follows its redirects), or the URL the job resolved itself (own_redirects).
    void aim(std::string url, EasyHop hop) {
        m_url = std::move(url);
        m_hop = hop;
    }

    Result<CURL*> start_attempt();
    AttemptVerdict finish_attempt(CURLcode code);

    [[nodiscard]] bool complete() const { return flushed() >= m_end; }
    [[nodiscard]] std::uint64_t flushed() const { return m_flushed->load(); }
    [[nodiscard]] std::uint64_t start() const { return m_start; }
    [[nodiscard]] std::uint64_t end() const { return m_end; }
    [[nodiscard]] int attempts() const { return m_attempts; }
    // The server answered 200 to a ranged request: the remote changed (or ignores ranges).
    [[nodiscard]] bool remote_changed() const { return m_remote_changed; }
    // A 403 from another host's URL asked without credentials: a signed URL that may have expired.
    [[nodiscard]] bool refused_signed_url() const { return !m_hop.credentials && m_response.status() == 403; }
    [[nodiscard]] std::optional<std::chrono::seconds> retry_after() const { return m_retry_after; }
    [[nodiscard]] const std::optional<Error>& last_error() const { return m_last_error; }
    [[nodiscard]] std::uint64_t bytes_received() const { return m_bytes_received; }

  private:
    static std::size_t on_header(char* data, std::size_t size, std::size_t count, void* self);
    static std::size_t on_body(char* data, std::size_t size, std::size_t count, void* self);

    const TransferRequest& m_request;
    const DownloadOptions& m_options;
    int m_fd;
    std::filesystem::path m_part_path;
    std::string m_url;
    EasyHop m_hop;
    std::string m_validator;
    std::uint64_t m_start;
    std::uint64_t m_end;
    std::shared_ptr<std::atomic<std::uint64_t>> m_flushed;

    CurlEasy m_easy;
    CurlSlist m_headers;
    std::string m_error_buffer;
    std::unique_ptr<HashingWriter> m_writer;
    ResponseHeaders m_response;
    bool m_response_ok = false;
    bool m_remote_changed = false;
    int m_attempts = 0;
    std::uint64_t m_bytes_received = 0;
    std::optional<std::chrono::seconds> m_retry_after;
    std::optional<Error> m_last_error;
};

} // namespace cxrcat::net
