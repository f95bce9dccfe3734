// SPDX-License-Identifier: Apache-2.0
// Private: the libcurl options every transfer of a file shares (whole file or one segment).
#pragma once

#include "cxrcat/net/download.hpp"
#include "net/curl_handles.hpp"

#include <optional>
#include <string>
#include <vector>

namespace cxrcat::net {

struct EasyCallbacks {
    curl_write_callback on_header = nullptr;
    curl_write_callback on_body = nullptr;
    void* self = nullptr;         // handed to both callbacks and kept as CURLOPT_PRIVATE
    char* error_buffer = nullptr; // CURL_ERROR_SIZE bytes
};

// False when url is one of the mirrors at the front of request.urls: only the origin gets
// the request's credentials (secret headers, basic auth). A mirror is looked up by content and
// must never see them.
[[nodiscard]] bool sends_origin_credentials(const TransferRequest& request, const std::string& url);

// How one request departs from the defaults below (TransferRequest::own_redirects).
struct EasyHop {
    bool follow = true;      // false: a 3xx is the answer, for FileJob to follow itself
    bool credentials = true; // false: url is another host's (a signed CDN URL): it gets no credential
};

// Resets easy and sets it up for url: protocols, redirects, timeouts, stall detection, CA bundle,
// user agent, credentials (basic auth and secret headers), and extra_headers such as Range.
void configure_easy(CURL* easy, CurlSlist& headers, const TransferRequest& request, const DownloadOptions& options,
                    const std::string& url, const std::vector<std::string>& extra_headers,
                    const EasyCallbacks& callbacks, const EasyHop& hop = {});

// Parses "bytes 100-199/1000" or "bytes */1000".
struct ContentRange {
    std::optional<std::uint64_t> first;
    std::optional<std::uint64_t> last;
    std::optional<std::uint64_t> total;
};
[[nodiscard]] ContentRange parse_content_range(std::string_view value);

// The hex MD5 of an X-Goog-Hash value ("crc32c=n03x6A==, md5=Ojk9c3dhfxgoKVVHYwFbHQ=="), or nullopt
// when it names none (a composite object carries only crc32c).
[[nodiscard]] std::optional<std::string> goog_hash_md5(std::string_view value);

// Collects one response's status and headers from libcurl's header callback lines; a new status
// line (after a redirect or 100 Continue) starts over.
class ResponseHeaders {
  public:
    // Returns true when line was the blank line ending the final (non-redirect) response. A redirect
    // that libcurl does not follow stays in place: its status and headers are the answer.
    bool add_line(std::string_view line);
    [[nodiscard]] long status() const { return m_status; }
    // The header's value, or "" (names are case-insensitive).
    [[nodiscard]] std::string get(const std::string& lowercase_name) const;
    void clear();

  private:
    long m_status = 0;
    std::map<std::string, std::string> m_headers;
};

} // namespace cxrcat::net
