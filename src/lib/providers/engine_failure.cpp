// SPDX-License-Identifier: Apache-2.0
#include "providers/engine_failure.hpp"

#include "cxrcat/base/redacted_url.hpp"

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

std::optional<Error> refused_link_error(const EngineHttpFailure& failure, const std::string& endpoint,
                                        const Error& error, const std::string& refused, std::string rerun_note) {
    bool from_redirect = !failure.final_url.empty() && url_origin(failure.final_url) != url_origin(endpoint);
    if (!from_redirect || failure.status == 429 || failure.status >= 500) {
        return std::nullopt;
    }
    std::vector<std::string> notes = error.notes();
    notes.push_back(std::move(rerun_note));
    return Error(error.code(),
                 failure.path + ": " + refused + " (HTTP " + std::to_string(failure.status) + "; it may have expired)",
                 std::move(notes));
}

Error explained_failure(const EngineHttpFailure& failure, const ProviderDiagnosis& diagnosis, const Error& error,
                        std::string answered) {
    std::vector<std::string> notes = error.notes();
    notes.insert(notes.begin(), std::move(answered));
    return diagnosis_error(failure.path, diagnosis, std::move(notes));
}

HttpFailure api_http_failure(long status, const std::string& url) {
    HttpFailure http;
    http.status = status;
    http.url = RedactedUrl(url).str();
    return http;
}

} // namespace cxrcat::providers
