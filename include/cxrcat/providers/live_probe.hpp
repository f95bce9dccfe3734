// SPDX-License-Identifier: Apache-2.0
// `cxrcat check --live`: one or two cheap anonymous requests per provider that tell whether it still
// answers in the shape cxrcat's routes parse (the same parsers read the answers), before a long
// fetch meets the difference.
#pragma once

#include "cxrcat/providers/provider.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace cxrcat {

// What a live probe found.
enum class LiveStatus {
    ok,          // every answer has the expected status and shape
    drift,       // a provider answered, but with a status or shape cxrcat does not expect
    unreachable, // no answer (DNS, connection, TLS, timeout), or 429/5xx: the shape is unknown
};

// "ok", "drift", "unreachable".
[[nodiscard]] std::string_view to_string(LiveStatus status);

// One request of a probe, as it went.
struct LiveRequest {
    std::string method;
    std::string url; // redacted
    long status = 0; // the HTTP status; 0 when none arrived
};

// The result of probing one provider.
struct LiveProbe {
    std::string provider; // "zenodo", "physionet", "kaggle", "huggingface", "idc", "tcia"
    LiveStatus status = LiveStatus::ok;
    // ok: what was seen; drift: exactly which status or field differs; unreachable: why.
    std::string detail;
    std::string field; // drift: the field that differs (e.g. "files[0].checksum"); "" for a status
    std::vector<LiveRequest> requests;
};

// The providers `check --live` knows, in the order it probes them by default.
[[nodiscard]] const std::vector<std::string>& live_providers();

// Probes one provider (a name from live_providers()) at the context's (possibly overridden) base
// URL, anonymously, each request with a short timeout and no retry. Never throws for a network
// failure: it is the result's status.
[[nodiscard]] LiveProbe probe_live(const ProviderContext& context, std::string_view provider);

// Probes the providers, all at once (each on a thread of its own), results in the order given.
[[nodiscard]] std::vector<LiveProbe> probe_live_all(const ProviderContext& context,
                                                    const std::vector<std::string>& providers);

} // namespace cxrcat
