// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "cxrcat/net/download.hpp"
#include "cxrcat/base/result.hpp"

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cxrcat {

// A small request to a provider's API (listings, record metadata, access probes). Bodies are
// kept in memory, so this is never used for data files.
struct HttpRequest {
    std::string url;
    std::string method = "GET";       // GET, HEAD, POST, PUT or DELETE
    std::string post_body;            // the body of a POST or PUT (JSON, XML, an S3 part)
    std::vector<std::string> headers; // non-secret headers, e.g. "Accept: application/json"
    std::vector<std::pair<std::string, Secret>> secret_headers;
    std::optional<BasicAuth> basic_auth;
    std::optional<AwsSigV4> aws_sigv4; // an S3 request signed by libcurl (no redirect is followed)
    std::string user_agent = "cxrcat";
    std::optional<std::filesystem::path> ca_bundle;
    bool follow_redirects = true;
    std::optional<std::pair<std::uint64_t, std::uint64_t>> range; // inclusive byte range
    std::chrono::seconds timeout{60};
    std::size_t max_body = 64U << 20;
    // Bytes per second the caller holds this transfer to (--limit-rate); 0: none. The stall
    // threshold and receive buffer follow it, so a slow but paced transfer is not a stall.
    std::uint64_t paced_rate = 0;
    // When body_write is set, the body of a 200 answer (206 when range is set) is handed over chunk by chunk as it
    // arrives instead of being kept in HttpResponse::body (max_body then does not apply): for listings too large to
    // hold in memory. body_begin runs before each attempt (a retry starts over); body_write returning false stops the
    // transfer (the response is returned as it stands).
    std::function<void()> body_begin;
    std::function<bool(std::string_view)> body_write;
};

struct HttpResponse {
    long status = 0;
    std::map<std::string, std::string> headers;       // final response, lowercase names
    std::map<std::string, std::string> first_headers; // first response (before any redirect)
    long first_status = 0;
    std::string body;
    std::string effective_url; // may hold signed parameters: show only through RedactedUrl

    // The header's value or "".
    [[nodiscard]] std::string header(const std::string& lowercase_name) const;
};

// Performs request. An HTTP error status is a response, not an error; only transport failures
// (connection, TLS, timeout) are errors, with the network/... codes of the download engine.
// 429 and 5xx are retried (honouring Retry-After) within policy.
[[nodiscard]] Result<HttpResponse> http_request(const HttpRequest& request, const RetryPolicy& policy = RetryPolicy{});

} // namespace cxrcat
