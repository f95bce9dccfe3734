// SPDX-License-Identifier: Apache-2.0
#include "providers/engine_failure.hpp"

#include "cxrcat/redacted_url.hpp"

namespace cxrcat::providers {

std::optional<EngineHttpFailure> parse_engine_http_failure(const Error& error) {
    // The engine records the failed answer in Error::http (src/lib/net/file_job.cpp); the message
    // text is for people and is never read back.
    const auto& http = error.http();
    if (!http || http->web_page || http->status < 300) {
        return std::nullopt;
    }
    EngineHttpFailure failure;
    failure.path = http->path;
    failure.status = http->status;
    failure.source_url = http->url;
    failure.final_url = http->final_url;
    failure.server_code = http->provider_code;
    return failure;
}

HttpFailure api_http_failure(long status, const std::string& url) {
    HttpFailure http;
    http.status = status;
    http.url = RedactedUrl(url).str();
    return http;
}

} // namespace cxrcat::providers
