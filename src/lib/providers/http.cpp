// SPDX-License-Identifier: Apache-2.0
// Plain HTTP(S) URLs fixed in the catalog.
#include "cxrcat/base/redacted_url.hpp"
#include "providers/provider_common.hpp"

namespace cxrcat::providers {

namespace {

class HttpClient final : public ContextClient {
  public:
    using ContextClient::ContextClient;

    Result<std::vector<ResolvedFile>> resolve(const Dataset& /*dataset*/, const Source& source) override {
        std::vector<ResolvedFile> files;
        for (const auto& file : source.files) {
            ResolvedFile resolved;
            resolved.path = file.path;
            resolved.urls.push_back(m_context.endpoints.rewrite(*file.url));
            resolved.size = file.size;
            resolved.digests = file.digests;
            resolved.digest_origin = file.digests.empty() ? "" : "published in the catalog";
            resolved.extract = file.extract;
            resolved.extracted_size = file.extracted_size;
            files.push_back(std::move(resolved));
        }
        return files;
    }

    ProbeResult probe(const Dataset& /*dataset*/, const Source& source) override {
        if (source.files.empty() || !source.files.front().url) {
            return {ProbeStatus::ok, "no file to probe", "", ""};
        }
        HttpRequest request = base_request(m_context, m_context.endpoints.rewrite(*source.files.front().url));
        request.range = std::pair<std::uint64_t, std::uint64_t>{0, 0};
        RetryPolicy once;
        once.max_attempts = 1;
        auto response = http_request(request, once);
        if (!response) {
            return unreachable(response.error());
        }
        std::string where = RedactedUrl(request.url).str();
        long status = response->status;
        if (status == 200 || status == 206) {
            return {ProbeStatus::ok, "HTTP " + std::to_string(status) + " from " + where, "", ""};
        }
        if (status == 401 || status == 403) {
            return {ProbeStatus::credentials_refused, "HTTP " + std::to_string(status) + " from " + where,
                    "open " + where + " in a browser to see what it asks for", ""};
        }
        if (status == 404 || status == 410) {
            return {ProbeStatus::not_found, "HTTP " + std::to_string(status) + " from " + where,
                    "the file has moved; check the dataset's homepage", ""};
        }
        if (status == 429) {
            return {ProbeStatus::rate_limited, "HTTP 429 from " + where, "wait and retry later", ""};
        }
        return {ProbeStatus::unreachable, "HTTP " + std::to_string(status) + " from " + where, "retry later", ""};
    }
};

} // namespace

std::unique_ptr<ProviderClient> make_http_client(const ProviderContext& context) {
    return std::make_unique<HttpClient>(context);
}

} // namespace cxrcat::providers
