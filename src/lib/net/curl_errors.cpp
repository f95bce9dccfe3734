// SPDX-License-Identifier: Apache-2.0
#include "net/curl_errors.hpp"

#include "net/curl_handles.hpp"

#include <mutex>

namespace cxrcat::net {

void ensure_curl_initialised() {
    static std::once_flag once;
    std::call_once(once, [] {
        if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
            throw std::runtime_error("libcurl could not be initialised");
        }
    });
}

CurlFailure classify_curl_error(CURLcode code, const std::string& detail) {
    std::string text = detail.empty() ? curl_easy_strerror(code) : detail;
    switch (code) {
    case CURLE_COULDNT_CONNECT:
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR:
    case CURLE_PARTIAL_FILE:
    case CURLE_GOT_NOTHING:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
    case CURLE_SSL_CONNECT_ERROR: return {ErrorCode::network, true, text, ""};
    // A name that does not resolve will not resolve a second later either (no network, a typo in a
    // mirror or base URL): retrying it only made an offline fetch wait 24 s (issue 22, item 8).
    case CURLE_COULDNT_RESOLVE_HOST:
        return {ErrorCode::network, false, "the network is unreachable: " + text,
                "the host name does not resolve (not retried): check the network connection, or the host of "
                "the URL, mirror or CXRCAT_*_URL override"};
    case CURLE_COULDNT_RESOLVE_PROXY:
        return {ErrorCode::network, false, "the network is unreachable: " + text,
                "the proxy's host name does not resolve (not retried): check the network connection and the "
                "proxy settings (http_proxy, https_proxy, ALL_PROXY)"};
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_CERTPROBLEM:
        return {ErrorCode::network, false, "TLS certificate problem: " + text,
                "if the server uses a private CA, pass --cacert FILE or set CURL_CA_BUNDLE"};
    case CURLE_WRITE_ERROR: return {ErrorCode::local_io, false, "could not write the downloaded data: " + text, ""};
    case CURLE_OUT_OF_MEMORY: return {ErrorCode::internal, false, "out of memory", ""};
    case CURLE_UNSUPPORTED_PROTOCOL:
    case CURLE_URL_MALFORMAT: return {ErrorCode::invalid_catalog, false, "unusable URL: " + text, ""};
    case CURLE_TOO_MANY_REDIRECTS: return {ErrorCode::network, false, "too many redirects: " + text, ""};
    case CURLE_ABORTED_BY_CALLBACK: return {ErrorCode::internal, false, "transfer aborted", ""};
    default: return {ErrorCode::network, false, text, ""};
    }
}

} // namespace cxrcat::net
