// SPDX-License-Identifier: Apache-2.0
// Private: reading back the HTTP failure the download engine reported, for ProviderClient::explain.
#pragma once

#include "cxrcat/base/error.hpp"
#include "providers/provider_common.hpp"

#include <optional>
#include <string>

namespace cxrcat::providers {

// An HTTP error status the engine gave up on, as it recorded it in Error::http.
struct EngineHttpFailure {
    std::string path; // the file's display path ("" when the message has none)
    long status = 0;
    std::string source_url;  // redacted URL that was requested ("" when unknown)
    std::string final_url;   // redacted URL of the failing response after redirects ("" when none)
    std::string server_code; // X-Error-Code ("" when absent)
};

// The HTTP error status error carries, or nullopt for anything else (transport, integrity, local
// I/O, a web page instead of data, or an error resolve() made).
[[nodiscard]] std::optional<EngineHttpFailure> parse_engine_http_failure(const Error& error);

// When the failure came from the host the provider redirected the download to (a CDN or a signed
// URL: not endpoint's origin) and is neither a rate limit nor a server error, the link the provider
// handed out was refused, most likely because it expired: error with the message
// "<path>: <refused> (HTTP <status>; it may have expired)" and rerun_note added. Else nullopt.
[[nodiscard]] std::optional<Error> refused_link_error(const EngineHttpFailure& failure, const std::string& endpoint,
                                                      const Error& error, const std::string& refused,
                                                      std::string rerun_note);

// The failure as the diagnosis explains it ("<path>: <summary>: <fix>"), with answered (what the
// provider answered: "Kaggle answered HTTP 403") before error's notes.
[[nodiscard]] Error explained_failure(const EngineHttpFailure& failure, const ProviderDiagnosis& diagnosis,
                                      const Error& error, std::string answered);

// The HTTP facts of a provider API answer (status, redacted url) that resolve() or probe() turns
// into an Error, so that callers classify it from Error::http_status(), never from the message.
[[nodiscard]] HttpFailure api_http_failure(long status, const std::string& url);

} // namespace cxrcat::providers
