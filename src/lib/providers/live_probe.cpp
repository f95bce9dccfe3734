// SPDX-License-Identifier: Apache-2.0
// `cxrcat check --live`: the probe of each provider and what they share. Every answer is read by
// the parser its route reads it with (parsers.hpp, huggingface_tree.hpp, kaggle_listing.hpp,
// idc_api.hpp, tcia_api.hpp), so "the shape cxrcat expects" has one definition.
#include "cxrcat/providers/live_probe.hpp"

#include "base/parallel_for.hpp"
#include "base/remote_text.hpp"
#include "cxrcat/base/redacted_url.hpp"
#include "providers/live_probes.hpp"

#include <algorithm>

namespace cxrcat {

std::string_view to_string(LiveStatus status) {
    switch (status) {
    case LiveStatus::ok: return "ok";
    case LiveStatus::drift: return "drift";
    case LiveStatus::unreachable: return "unreachable";
    }
    return "unreachable";
}

const std::vector<std::string>& live_providers() {
    static const std::vector<std::string> k_names{"zenodo", "physionet", "kaggle", "huggingface", "idc", "tcia"};
    return k_names;
}

LiveProbe probe_live(const ProviderContext& context, std::string_view provider) {
    providers::LiveSession session(context, std::string(provider));
    if (provider == "zenodo") {
        providers::probe_zenodo_live(session);
    } else if (provider == "physionet") {
        providers::probe_physionet_live(session);
    } else if (provider == "kaggle") {
        providers::probe_kaggle_live(session);
    } else if (provider == "huggingface") {
        providers::probe_huggingface_live(session);
    } else if (provider == "idc") {
        providers::probe_idc_live(session);
    } else if (provider == "tcia") {
        providers::probe_tcia_live(session);
    } else {
        session.drift("cxrcat has no live probe of '" + std::string(provider) + "'");
    }
    return session.result();
}

std::vector<LiveProbe> probe_live_all(const ProviderContext& context, const std::vector<std::string>& providers) {
    std::vector<LiveProbe> results(providers.size());
    // One thread per provider: a slow one costs its own timeout, not the sum of all of them.
    parallel_for(providers.size(), static_cast<unsigned>(std::max<std::size_t>(providers.size(), 1)),
                 [&](std::size_t i) { results[i] = probe_live(context, providers[i]); });
    return results;
}

namespace providers {

LiveSession::LiveSession(const ProviderContext& context, std::string provider) : m_context(context) {
    m_result.provider = std::move(provider);
}

HttpRequest LiveSession::request(std::string url, bool json) const {
    HttpRequest out = json ? json_request(m_context, std::move(url)) : base_request(m_context, std::move(url));
    out.timeout = k_live_timeout;
    out.max_body = k_live_max_body;
    return out;
}

std::optional<HttpResponse> LiveSession::send(const HttpRequest& request) {
    RetryPolicy once = m_context.retry;
    once.max_attempts = 1; // a probe reports what it met; a retry would only make it slower
    auto response = http_request(request, once);
    LiveRequest seen{request.method, RedactedUrl(request.url).str(), response ? response->status : 0};
    m_result.requests.push_back(seen);
    std::string what = seen.method + " " + seen.url;
    if (!response) {
        unreachable(what + ": " + response.error().message());
        return std::nullopt;
    }
    // Too many requests, or a server in trouble: it answered, but not with the shape to judge.
    if (response->status == 429 || response->status >= 500) {
        unreachable(what + " answered HTTP " + std::to_string(response->status) + "; retry later");
        return std::nullopt;
    }
    return std::move(*response);
}

void LiveSession::ok(std::string detail) {
    if (m_result.status == LiveStatus::ok) {
        m_result.detail = m_result.detail.empty() ? std::move(detail) : m_result.detail + "; " + detail;
    }
}

void LiveSession::drift(std::string detail, std::string field) {
    if (m_result.status != LiveStatus::ok) {
        return; // the first difference is the one to report
    }
    m_result.status = LiveStatus::drift;
    m_result.detail = std::move(detail);
    m_result.field = std::move(field);
}

void LiveSession::unreachable(std::string detail) {
    if (m_result.status != LiveStatus::ok) {
        return;
    }
    m_result.status = LiveStatus::unreachable;
    m_result.detail = std::move(detail);
}

std::optional<HttpResponse> LiveSession::send_expecting_ok(const HttpRequest& request, const std::string& expected) {
    auto response = send(request);
    if (response && response->status != 200) {
        unexpected_status(request, *response, expected);
        return std::nullopt;
    }
    return response;
}

void LiveSession::unexpected_status(const HttpRequest& request, const HttpResponse& response,
                                    const std::string& expected) {
    std::string said = printable_excerpt(response.body, 160);
    drift(request.method + " " + RedactedUrl(request.url).str() + " answered HTTP " + std::to_string(response.status) +
          ", expected " + expected + (said.empty() ? "" : " (it said: " + said + ")"));
}

} // namespace providers

} // namespace cxrcat
