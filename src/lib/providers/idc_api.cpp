// SPDX-License-Identifier: Apache-2.0
// IDC REST API v3 (public, unauthenticated; /work/shared/reference/provider-facts.md §1.2-1.4). The
// API is a beta whose request shape changed between 3.0.0b2 and b3, so only the surface both share
// is used: `{"filters":{"terms":{…}},"page":K,"page_size":N}`, paged by page number, with the
// echoed page_size and total_series read back. Anything else is reported, never taken for an
// empty cohort.
#include "providers/idc_api.hpp"

#include "cxrcat/base/redacted_url.hpp"
#include "providers/engine_failure.hpp"
#include "providers/parsers.hpp"
#include "providers/provider_common.hpp"

#include <nlohmann/json.hpp>

#include <cmath>
#include <set>

namespace cxrcat::providers {

namespace {

// The API's cap on page_size (settings.py; larger values are clamped silently).
constexpr std::uint64_t k_idc_page_size = 5000;
constexpr double k_bytes_per_mb = 1e6; // series_size_MB is SUM(instance_size)/1000000 (idc_index.sql)

std::string idc_row_text(const nlohmann::json& row, const char* key) {
    auto it = row.find(key);
    return it != row.end() && it->is_string() ? it->get<std::string>() : std::string{};
}

std::optional<std::uint64_t> idc_count(const nlohmann::json& object, const char* key) {
    auto it = object.find(key);
    if (it == object.end() || !it->is_number_integer() || it->get<std::int64_t>() < 0) {
        return std::nullopt;
    }
    return static_cast<std::uint64_t>(it->get<std::int64_t>());
}

void collect_warnings(const nlohmann::json& holder, std::vector<std::string>& out) {
    auto warnings = holder.find("warnings");
    if (warnings == holder.end() || !warnings->is_array()) {
        return;
    }
    for (const auto& warning : *warnings) {
        out.push_back(warning.is_string() ? warning.get<std::string>() : warning.dump());
    }
}

// The bucket of "s3://<bucket>/<uuid>/*", or "".
std::string bucket_of_aws_url(const std::string& url) {
    constexpr std::string_view k_s3 = "s3://";
    if (url.rfind(k_s3, 0) != 0) {
        return {};
    }
    std::size_t slash = url.find('/', k_s3.size());
    return slash == std::string::npos ? std::string{} : url.substr(k_s3.size(), slash - k_s3.size());
}

Result<IdcSeriesRow> parse_idc_row(const nlohmann::json& row, std::size_t index) {
    std::string where = "series[" + std::to_string(index) + "]";
    if (!row.is_object()) {
        return Error(ErrorCode::network, where + " is not an object");
    }
    IdcSeriesRow out;
    out.series_uuid = idc_row_text(row, "crdc_series_uuid");
    out.bucket = idc_row_text(row, "aws_bucket");
    if (out.bucket.empty()) {
        out.bucket = bucket_of_aws_url(idc_row_text(row, "series_aws_url"));
    }
    if (out.series_uuid.empty() || out.bucket.empty()) {
        return Error(ErrorCode::network, where + " has no crdc_series_uuid or aws_bucket");
    }
    if (!is_safe_relative_path(out.series_uuid) || out.series_uuid.find('/') != std::string::npos) {
        return Error(ErrorCode::integrity, where + " has an unusable crdc_series_uuid '" + out.series_uuid + "'");
    }
    out.collection_id = idc_row_text(row, "collection_id");
    out.patient_id = idc_row_text(row, "PatientID");
    out.study_instance_uid = idc_row_text(row, "StudyInstanceUID");
    out.series_instance_uid = idc_row_text(row, "SeriesInstanceUID");
    out.modality = idc_row_text(row, "Modality");
    out.instance_count = idc_count(row, "instanceCount").value_or(0);
    if (auto size = row.find("series_size_MB"); size != row.end() && size->is_number() && size->get<double>() >= 0) {
        out.size_bytes = static_cast<std::uint64_t>(std::llround(size->get<double>() * k_bytes_per_mb));
    }
    return out;
}

// The API's own explanation, when the body is its error shape {"error":{"code","message"}} (or
// FastAPI's {"detail": …} of a 422).
std::string idc_error_text(const std::string& body) {
    auto document = nlohmann::json::parse(body, nullptr, false);
    if (document.is_object()) {
        if (auto error = document.find("error"); error != document.end() && error->is_object()) {
            return idc_row_text(*error, "message");
        }
        if (auto detail = document.find("detail"); detail != document.end()) {
            return detail->is_string() ? detail->get<std::string>() : detail->dump().substr(0, 300);
        }
        if (auto message = document.find("message"); message != document.end() && message->is_string()) {
            return message->get<std::string>();
        }
    }
    return body.substr(0, 200);
}

Error unexpected_answer(const ProviderContext& context, const std::string& what, const std::string& url) {
    return Error(ErrorCode::network,
                 "the IDC API answered in an unexpected shape (" + what + "); it reports API version " +
                     idc_api_version(context),
                 {"cxrcat speaks the IDC REST API v3 as of 3.0.0b2/b3 (POST /cohort/manifest with "
                  "{\"filters\":{\"terms\":…},\"page\",\"page_size\"}); this build needs an update for the new shape",
                  "meanwhile: export a series manifest from the IDC portal or idc-index and run with --manifest FILE",
                  "request: POST " + RedactedUrl(url).str()});
}

} // namespace

std::string idc_api_body(const IdcTerms& terms, std::uint64_t page, std::uint64_t page_size) {
    nlohmann::json filter_terms = nlohmann::json::object();
    for (const auto& [key, values] : terms) {
        filter_terms[key] = values;
    }
    return nlohmann::json{{"filters", {{"terms", filter_terms}}}, {"page", page}, {"page_size", page_size}}.dump();
}

std::map<std::string, std::string> IdcSeriesRow::metadata() const {
    return {
        {"collection_id", collection_id},           {"PatientID", patient_id}, {"StudyInstanceUID", study_instance_uid},
        {"SeriesInstanceUID", series_instance_uid}, {"Modality", modality},    {"crdc_series_uuid", series_uuid}};
}

Result<IdcManifestPage> parse_idc_manifest_page(std::string_view body) {
    auto document = nlohmann::json::parse(body, nullptr, false);
    if (document.is_discarded() || !document.is_object()) {
        return Error(ErrorCode::network, "the answer is not a JSON object");
    }
    auto series = document.find("series");
    auto total = idc_count(document, "total_series");
    if (series == document.end() || !series->is_array() || !total) {
        return Error(ErrorCode::network, "no `series` list or `total_series` count");
    }
    IdcManifestPage page;
    page.total_series = *total;
    page.page_size = idc_count(document, "page_size").value_or(0);
    page.returned = idc_count(document, "returned").value_or(series->size());
    if (auto truncated = document.find("truncated"); truncated != document.end() && truncated->is_boolean()) {
        page.truncated = truncated->get<bool>();
    }
    collect_warnings(document, page.warnings);
    if (auto counts = document.find("counts"); counts != document.end() && counts->is_object()) {
        collect_warnings(*counts, page.warnings);
    }
    for (std::size_t i = 0; i < series->size(); ++i) {
        auto row = parse_idc_row((*series)[i], i);
        if (!row) {
            return row.error();
        }
        page.rows.push_back(std::move(*row));
    }
    return page;
}

std::string idc_api_version(const ProviderContext& context) {
    std::string url = context.endpoints.idc_api + "/version";
    HttpRequest request = json_request(context, url);
    RetryPolicy once = context.retry;
    once.max_attempts = 1;
    auto response = http_request(request, once);
    if (!response) {
        return "unknown (GET /version failed: " + response.error().message() + ")";
    }
    auto document = nlohmann::json::parse(response->body, nullptr, false);
    if (response->status != 200 || !document.is_object() || idc_row_text(document, "api_version").empty()) {
        return "unknown (GET /version answered HTTP " + std::to_string(response->status) + ")";
    }
    std::string version = idc_row_text(document, "api_version");
    std::string data = idc_row_text(document, "idc_version");
    return version + (data.empty() ? "" : " (IDC data version " + data + ")");
}

Result<IdcCohort> query_idc_cohort(const ProviderContext& context, const IdcTerms& terms, bool first_page_only) {
    std::string url = context.endpoints.idc_api + "/cohort/manifest";
    IdcCohort cohort;
    std::set<std::string> seen;
    std::uint64_t total = 0;
    std::uint64_t requested = first_page_only ? 1 : k_idc_page_size;
    for (std::uint64_t page_number = 0;; ++page_number) {
        HttpRequest request = base_request(context, url);
        request.method = "POST";
        request.post_body = idc_api_body(terms, page_number, requested);
        request.headers.emplace_back("Content-Type: application/json");
        request.headers.emplace_back("Accept: application/json");
        auto response = http_request(request, context.retry);
        if (!response) {
            return Error(response.error().code(), "cannot reach the IDC API: " + response.error().message(),
                         response.error().notes());
        }
        if (response->status != 200) {
            std::string why = "HTTP " + std::to_string(response->status);
            std::string text = idc_error_text(response->body);
            if (response->status == 429 || response->status >= 500) {
                return Error(ErrorCode::network, "the IDC API failed with " + why + (text.empty() ? "" : ": " + text),
                             {"retry later", "request: POST " + RedactedUrl(url).str()})
                    .with_http(api_http_failure(response->status, url));
            }
            return unexpected_answer(context, why + (text.empty() ? "" : ": " + text), url)
                .with_http(api_http_failure(response->status, url));
        }
        auto page = parse_idc_manifest_page(response->body);
        if (!page) {
            return unexpected_answer(context, page.error().message(), url);
        }
        cohort.warnings.insert(cohort.warnings.end(), page->warnings.begin(), page->warnings.end());
        total = page->total_series;
        for (auto& row : page->rows) {
            if (seen.insert(row.series_uuid).second) {
                cohort.series.push_back(std::move(row));
            }
        }
        if (first_page_only || cohort.series.size() >= total) {
            break;
        }
        // The echoed page_size is the one used (values are clamped silently); a short page before
        // the total is reached means the cohort changed or paging broke: never a silent subset.
        std::uint64_t used = page->page_size == 0 ? requested : page->page_size;
        if (page->rows.empty() || page->rows.size() < used) {
            return Error(ErrorCode::network,
                         "the IDC API stopped after " + std::to_string(cohort.series.size()) + " of the " +
                             std::to_string(total) + " series it announced",
                         {page->truncated ? "it marked the answer as truncated"
                                          : "rerun; if it persists, use "
                                            "--manifest FILE",
                          "request: POST " + RedactedUrl(url).str()});
        }
        if (used != requested) {
            // Keep K*N offsets consistent with the size the server really uses.
            requested = used;
            page_number = cohort.series.size() / used - 1;
        }
    }
    return cohort;
}

} // namespace cxrcat::providers
