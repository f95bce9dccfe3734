// SPDX-License-Identifier: Apache-2.0
// The Cancer Imaging Archive through its public NBIA REST API (no token for public collections;
// provider-facts.md §4). The series list comes from `GET <tcia>/getSeries?Collection=…`; each series
// is one download, `GET <tcia>/getImageWithMD5Hash?SeriesInstanceUID=…`: a zip streamed with no
// Content-Length and no Range support, holding the DICOM files and md5hashes.csv. Fetch installs
// the series under <SeriesInstanceUID>/ only when every member matches that list (series_archive).
// A series is a unit from the start, listed or not: there is nothing to list before the download.
#include "cxrcat/redacted_url.hpp"
#include "providers/provider_common.hpp"
#include "providers/remote_text.hpp"
#include "providers/tcia_api.hpp"

#include <algorithm>

namespace cxrcat::providers {

namespace {

// The member of each series zip that lists `Filename,MD5Hash` (NBIA V1_getImageWithMD5Hash).
constexpr std::string_view k_nbia_checksum_member = "md5hashes.csv";

class TciaClient final : public ContextClient {
  public:
    using ContextClient::ContextClient;

    Result<std::vector<ResolvedFile>> resolve(const Dataset& dataset, const Source& source) override {
        auto rows = query_series(dataset, source);
        if (!rows) {
            return rows.error();
        }
        std::vector<ResolvedFile> files;
        for (const auto& row : *rows) {
            ResolvedFile file;
            file.path = row.series_instance_uid; // the series directory
            file.urls.push_back(m_context.endpoints.tcia +
                                "/getImageWithMD5Hash?SeriesInstanceUID=" + url_encode(row.series_instance_uid, false));
            file.size = row.file_size; // the DICOM bytes the series installs (the zip is a little larger)
            file.series_files = std::max<std::uint64_t>(row.image_count, 1);
            file.metadata = row.metadata();
            file.extract = true;
            file.member_checksums = std::string(k_nbia_checksum_member);
            file.digest_origin = "md5hashes.csv in the NBIA series zip";
            files.push_back(std::move(file));
        }
        return files;
    }

    ProbeResult probe(const Dataset& dataset, const Source& source) override {
        auto rows = query_series(dataset, source);
        if (!rows) {
            const Error& error = rows.error();
            ProbeStatus status = error.code() == ErrorCode::not_found       ? ProbeStatus::not_found
                                 : error.code() == ErrorCode::access_denied ? ProbeStatus::restricted
                                 : error.http_status() == 429               ? ProbeStatus::rate_limited
                                                                            : ProbeStatus::unreachable;
            return {status, error.message(), error.notes().empty() ? "" : error.notes().front(), ""};
        }
        return {ProbeStatus::ok,
                "the NBIA API lists " + std::to_string(rows->size()) + " series of collection '" +
                    source.param("collection") + "'; no credentials needed",
                "", ""};
    }

    Error explain(const Dataset& /*dataset*/, const Source& /*source*/, Error error) const override {
        if (is_transfer_failure(error) && error.http_status() == 400) {
            // V1_getImageWithMD5Hash answers 400 "Image with given SeriesInstanceUID,<uid>, is not
            // in public domain." for a series of a restricted collection.
            error.note("NBIA answers HTTP 400 for a series that is not public: the collection may need a TCIA "
                       "account, which cxrcat does not use");
        }
        return error;
    }

  private:
    [[nodiscard]] std::string series_url(const Source& source) const {
        std::string url =
            m_context.endpoints.tcia + "/getSeries?Collection=" + url_encode(source.param("collection"), false);
        if (std::string modality = source.param("modality"); !modality.empty()) {
            url += "&Modality=" + url_encode(modality, false);
        }
        return url;
    }

    [[nodiscard]] Result<std::vector<NbiaSeriesRow>> query_series(const Dataset& dataset, const Source& source) const {
        std::string url = series_url(source);
        std::string shown = "request: GET " + RedactedUrl(url).str();
        HttpRequest request = base_request(m_context, url);
        request.headers.emplace_back("Accept: application/json");
        auto response = http_request(request, m_context.retry);
        if (!response) {
            return Error(response.error().code(),
                         dataset.id + ": cannot reach the NBIA API: " + response.error().message(),
                         response.error().notes());
        }
        std::string why = "HTTP " + std::to_string(response->status);
        std::string text = printable_excerpt(response->body, 200);
        if (response->status == 401 || response->status == 403) {
            return Error(ErrorCode::access_denied,
                         dataset.id + ": the NBIA API refused the series list (" + why + ")" +
                             (text.empty() ? "" : ": " + text),
                         {"public collections need no token; this one may need a TCIA account", shown});
        }
        if (response->status == 404) {
            return Error(ErrorCode::not_found, dataset.id + ": the NBIA API has no getSeries (" + why + ")",
                         {"check CXRCAT_TCIA_URL (the API's base, ending in /nbia-api/services/v1)", shown});
        }
        if (response->status != 200) {
            return Error(ErrorCode::network,
                         dataset.id + ": the NBIA API failed with " + why + (text.empty() ? "" : ": " + text),
                         {response->status == 400 ? "the API rejected the query parameters" : "retry later", shown});
        }
        auto rows = parse_nbia_series(response->body);
        if (!rows) {
            return Error(rows.error().code(),
                         dataset.id +
                             ": the NBIA API answered getSeries in an unexpected shape: " + rows.error().message(),
                         {shown});
        }
        if (rows->empty()) {
            // NBIA's empty answer is "no results": a wrong collection name, never an empty dataset.
            return Error(ErrorCode::not_found,
                         dataset.id + ": the NBIA API lists no series for collection '" + source.param("collection") +
                             "'",
                         {"check the collection name on " + dataset.homepage, shown});
        }
        return rows;
    }
};

} // namespace

std::unique_ptr<ProviderClient> make_tcia_client(const ProviderContext& context) {
    return std::make_unique<TciaClient>(context);
}

} // namespace cxrcat::providers
