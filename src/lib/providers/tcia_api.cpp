// SPDX-License-Identifier: Apache-2.0
// The getSeries answer of the NBIA REST API (provider-facts.md §4: a live capture of
// …/nbia-api/services/v1/getSeries, and the client code of kirbyju/tcia_utils nbia.py `getSeries`
// and `queryData`, and MONAI's apps/tcia/utils.py, which both take an empty body for "no results"),
// and the request that asks for it.
#include "providers/tcia_api.hpp"

#include "base/remote_text.hpp"
#include "cxrcat/base/redacted_url.hpp"
#include "providers/parsers.hpp"
#include "providers/provider_common.hpp"

#include <nlohmann/json.hpp>

namespace cxrcat::providers {

namespace {

std::string nbia_text(const nlohmann::json& row, const char* key) {
    auto it = row.find(key);
    return it != row.end() && it->is_string() ? it->get<std::string>() : std::string{};
}

// NBIA sends counts as JSON numbers; a string of digits is accepted too (getSeriesMetaData's
// spaced keys carry "Number of Images":"2").
std::optional<std::uint64_t> nbia_count(const nlohmann::json& row, const char* key) {
    auto it = row.find(key);
    if (it == row.end()) {
        return std::nullopt;
    }
    if (it->is_number_integer() && it->get<std::int64_t>() >= 0) {
        return static_cast<std::uint64_t>(it->get<std::int64_t>());
    }
    if (it->is_string()) {
        const auto& text = it->get_ref<const std::string&>();
        if (!text.empty() && text.size() < 20 && text.find_first_not_of("0123456789") == std::string::npos) {
            return std::stoull(text);
        }
    }
    return std::nullopt;
}

bool nbia_blank(std::string_view body) {
    return body.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

std::string nbia_series_url(const std::string& base, const Source& source) {
    std::string url = base + "/getSeries?Collection=" + url_encode(source.param("collection"), false);
    if (std::string modality = source.param("modality"); !modality.empty()) {
        url += "&Modality=" + url_encode(modality, false);
    }
    return url;
}

} // namespace

std::map<std::string, std::string> NbiaSeriesRow::metadata() const {
    std::map<std::string, std::string> out;
    for (const auto& [key, value] :
         std::initializer_list<std::pair<const char*, const std::string*>>{{"PatientID", &patient_id},
                                                                           {"StudyInstanceUID", &study_instance_uid},
                                                                           {"SeriesInstanceUID", &series_instance_uid},
                                                                           {"Modality", &modality},
                                                                           {"Collection", &collection}}) {
        if (!value->empty()) {
            out.emplace(key, *value);
        }
    }
    return out;
}

Result<std::vector<NbiaSeriesRow>> parse_nbia_series(std::string_view body) {
    if (nbia_blank(body)) {
        return std::vector<NbiaSeriesRow>{}; // NBIA's "no results"
    }
    auto document = nlohmann::json::parse(body, nullptr, false);
    if (document.is_discarded() || !document.is_array()) {
        return Error(ErrorCode::network, "the answer is not a JSON list of series");
    }
    std::vector<NbiaSeriesRow> rows;
    for (std::size_t i = 0; i < document.size(); ++i) {
        const auto& item = document[i];
        std::string where = "series[" + std::to_string(i) + "]";
        if (!item.is_object()) {
            return Error(ErrorCode::network, where + " is not an object");
        }
        NbiaSeriesRow row;
        row.series_instance_uid = nbia_text(item, "SeriesInstanceUID");
        if (row.series_instance_uid.empty()) {
            return Error(ErrorCode::network, where + " has no SeriesInstanceUID");
        }
        // The UID names the series directory: a DICOM UID is digits and dots, never a path.
        if (!is_safe_relative_path(row.series_instance_uid) || row.series_instance_uid.find('/') != std::string::npos) {
            return Error(ErrorCode::integrity,
                         where + " has an unusable SeriesInstanceUID '" + row.series_instance_uid + "'");
        }
        row.study_instance_uid = nbia_text(item, "StudyInstanceUID");
        row.patient_id = nbia_text(item, "PatientID");
        row.modality = nbia_text(item, "Modality");
        row.collection = nbia_text(item, "Collection");
        row.image_count = nbia_count(item, "ImageCount").value_or(0);
        row.file_size = nbia_count(item, "FileSize");
        rows.push_back(std::move(row));
    }
    return rows;
}

namespace {

// The v1 twin of a base ending in /v4 ("" for any other base).
std::string nbia_v1_of(const std::string& base) {
    constexpr std::string_view k_v4 = "/v4";
    return base.ends_with(k_v4) ? base.substr(0, base.size() - k_v4.size()) + "/v1" : std::string{};
}

// One getSeries request at base: the HTTP answer, or the error of an unreachable API.
Result<HttpResponse> get_nbia_series(const ProviderContext& context, const Dataset& dataset, const Source& source,
                                     const std::string& base) {
    HttpRequest request = json_request(context, nbia_series_url(base, source));
    auto response = http_request(request, context.retry);
    if (!response) {
        return Error(response.error().code(), dataset.id + ": cannot reach the NBIA API: " + response.error().message(),
                     response.error().notes());
    }
    return response;
}

} // namespace

bool on_nlst_host(const Source& source) {
    return source.param("host") == "nlst";
}

std::string nbia_base(const ProviderEndpoints& endpoints, const Source& source) {
    return on_nlst_host(source) ? endpoints.tcia_nlst : endpoints.tcia;
}

std::string_view nbia_base_variable(const Source& source) {
    return on_nlst_host(source) ? "CXRCAT_TCIA_NLST_URL" : "CXRCAT_TCIA_URL";
}

Result<NbiaSeries> query_nbia_series(const ProviderContext& context, const Dataset& dataset, const Source& source) {
    NbiaSeries out{{}, nbia_base(context.endpoints, source), ""};
    auto response = get_nbia_series(context, dataset, source, out.base);
    std::string shown = "request: GET " + RedactedUrl(nbia_series_url(out.base, source)).str();
    if (std::string v1 = nbia_v1_of(out.base);
        response && (response->status == 404 || response->status == 410) && !v1.empty()) {
        // v4 lacks the endpoint here (tcia_utils keeps getContentsByName on v1: "Some endpoints were not
        // migrated to v4 API"): ask v1 once and say so; when both fail, the notes name both.
        std::string v4_answer = "HTTP " + std::to_string(response->status) + " from GET " +
                                RedactedUrl(nbia_series_url(out.base, source)).str();
        response = get_nbia_series(context, dataset, source, v1);
        out.base = v1;
        out.warning = "the NBIA v4 API answered " + v4_answer + "; the series list came from v1 instead";
        shown = "first: " + v4_answer + "; then request: GET " + RedactedUrl(nbia_series_url(v1, source)).str();
    }
    if (!response) {
        return response.error();
    }
    std::string why = "HTTP " + std::to_string(response->status);
    std::string text = printable_excerpt(response->body, 200);
    if (response->status == 401 || response->status == 403) {
        return Error(ErrorCode::access_denied,
                     dataset.id + ": the NBIA API refused the series list (" + why + ")" +
                         (text.empty() ? "" : ": " + text),
                     {"public collections need no token; this one may need a TCIA account", shown});
    }
    if (response->status == 404 || response->status == 410) {
        return Error(ErrorCode::not_found, dataset.id + ": the NBIA API has no getSeries (" + why + ")",
                     {"check " + std::string(nbia_base_variable(source)) +
                          " (the API's base, ending in /nbia-api/services/v4 or /v1)",
                      shown});
    }
    if (response->status != 200) {
        return Error(ErrorCode::network,
                     dataset.id + ": the NBIA API failed with " + why + (text.empty() ? "" : ": " + text),
                     {response->status == 400 ? "the API rejected the query parameters" : "retry later", shown});
    }
    auto rows = parse_nbia_series(response->body);
    if (!rows) {
        return Error(rows.error().code(),
                     dataset.id + ": the NBIA API answered getSeries in an unexpected shape: " + rows.error().message(),
                     {shown});
    }
    if (rows->empty()) {
        // NBIA's empty answer is "no results": a wrong collection name, never an empty dataset.
        return Error(ErrorCode::not_found,
                     dataset.id + ": the NBIA API lists no series for collection '" + source.param("collection") + "'",
                     {"check the collection name on " + dataset.homepage,
                      "the NBIA host asked is " + std::string(nbia_base_variable(source)) +
                          " (NLST, for one, is only on its own host)",
                      shown});
    }
    out.rows = std::move(*rows);
    return out;
}

} // namespace cxrcat::providers
