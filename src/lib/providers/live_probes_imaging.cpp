// SPDX-License-Identifier: Apache-2.0
// The live probes of the imaging APIs: IDC's REST API v3 and TCIA's NBIA API. Each asks what its
// route asks, for one small answer, and reads it with the route's own parser.
#include "base/remote_text.hpp"
#include "providers/idc_api.hpp"
#include "providers/live_probes.hpp"
#include "providers/tcia_api.hpp"

#include <nlohmann/json.hpp>

namespace cxrcat::providers {

namespace {

// LIDC-IDRI (catalog/datasets/lidc-idri.json): its IDC collection id and its NBIA collection, and
// the patient of the live capture of getSeries in provider-facts.md §4.
constexpr std::string_view k_live_idc_collection = "lidc_idri";
constexpr std::string_view k_live_nbia_query = "/getSeries?Collection=LIDC-IDRI&PatientID=LIDC-IDRI-0001";

// GET /version: {"idc_version", "api_version", …}. The API pins its major version to the URL
// prefix, /v3 ↔ 3.y.z (IDC-REST-MCP CHANGELOG.md, api-drift-2026.md §2.1), and the route speaks v3.
void check_idc_version(LiveSession& session) {
    HttpRequest request = session.request(session.context().endpoints.idc_api + "/version");
    auto response = session.send_expecting_ok(request, "200 with the API version");
    if (!response) {
        return;
    }
    auto document = nlohmann::json::parse(response->body, nullptr, false);
    if (!document.is_object()) {
        session.drift("GET /version: the answer is not a JSON object");
        return;
    }
    for (const char* key : {"api_version", "idc_version"}) {
        auto it = document.find(key);
        if (it == document.end() || !it->is_string()) {
            session.drift(std::string("GET /version has no `") + key + "` string", key);
            return;
        }
    }
    std::string version = document["api_version"].get<std::string>();
    if (version.rfind("3.", 0) != 0) {
        session.drift("GET /version reports api_version " + printable_excerpt(version, 40) +
                          "; cxrcat speaks the v3 API (3.y.z)",
                      "api_version");
        return;
    }
    session.ok("API " + version + ", IDC data " + document["idc_version"].get<std::string>());
}

// One row of POST /cohort/manifest, the route's own request (idc_api.cpp) and parser.
void check_idc_manifest(LiveSession& session) {
    HttpRequest request = session.request(session.context().endpoints.idc_api + "/cohort/manifest");
    request.method = "POST";
    request.post_body = idc_api_body({{"collection_id", {std::string(k_live_idc_collection)}}}, 0, 1);
    request.headers.emplace_back("Content-Type: application/json");
    auto response = session.send_expecting_ok(request, "200 with a page of series");
    if (!response) {
        return;
    }
    auto page = parse_idc_manifest_page(response->body);
    if (!page) {
        session.drift("POST /cohort/manifest: " + page.error().message());
        return;
    }
    if (page->rows.empty()) {
        session.drift("POST /cohort/manifest lists no series of " + std::string(k_live_idc_collection), "series");
        return;
    }
    const IdcSeriesRow& row = page->rows.front();
    if (row.series_instance_uid.empty()) {
        session.drift("POST /cohort/manifest: series[0] has no SeriesInstanceUID", "series[0].SeriesInstanceUID");
    } else if (row.instance_count == 0) {
        session.drift("POST /cohort/manifest: series[0] has no instanceCount", "series[0].instanceCount");
    } else if (!row.size_bytes) {
        session.drift("POST /cohort/manifest: series[0] has no series_size_MB", "series[0].series_size_MB");
    }
    session.ok(std::to_string(page->total_series) + " series of " + std::string(k_live_idc_collection) +
               ", rows with aws_bucket and crdc_series_uuid");
}

} // namespace

void probe_idc_live(LiveSession& session) {
    check_idc_version(session);
    if (!session.failed()) {
        check_idc_manifest(session);
    }
}

void probe_tcia_live(LiveSession& session) {
    // The route's getSeries (tcia_api.cpp), for one patient: Collection and PatientID are both among
    // the parameters v4 allows (api-drift-2026.md §1.2), and v1 takes them too.
    HttpRequest request = session.request(session.context().endpoints.tcia + std::string(k_live_nbia_query));
    auto response = session.send_expecting_ok(request, "200 with the series");
    if (!response) {
        return;
    }
    auto rows = parse_nbia_series(response->body);
    if (!rows) {
        session.drift("getSeries: " + rows.error().message());
        return;
    }
    if (rows->empty()) {
        // NBIA's "no results" is an empty body (api-drift-2026.md §1.2); LIDC-IDRI-0001 has series.
        session.drift("getSeries of LIDC-IDRI patient LIDC-IDRI-0001 answered no series (an empty body)", "series");
        return;
    }
    for (std::size_t i = 0; i < rows->size() && !session.failed(); ++i) {
        const NbiaSeriesRow& row = (*rows)[i];
        std::string where = "series[" + std::to_string(i) + "].";
        if (row.study_instance_uid.empty()) {
            session.drift("getSeries: " + where + "StudyInstanceUID is missing", where + "StudyInstanceUID");
        } else if (row.image_count == 0) {
            session.drift("getSeries: " + where + "ImageCount is missing", where + "ImageCount");
        } else if (!row.file_size) {
            session.drift("getSeries: " + where + "FileSize is missing", where + "FileSize");
        }
    }
    session.ok("getSeries of LIDC-IDRI-0001: " + std::to_string(rows->size()) +
               " series with UIDs, ImageCount and FileSize");
}

} // namespace cxrcat::providers
