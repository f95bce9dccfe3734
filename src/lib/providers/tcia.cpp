// SPDX-License-Identifier: Apache-2.0
// The Cancer Imaging Archive through its public NBIA REST API (no token for public collections;
// provider-facts.md §4). The series list comes from `GET <tcia>/getSeries?Collection=…`; each series
// is one download, `GET <tcia>/getImageWithMD5Hash?SeriesInstanceUID=…`: a zip streamed with no
// Content-Length and no Range support, holding the DICOM files and md5hashes.csv. Fetch installs
// the series under <SeriesInstanceUID>/ only when every member matches that list (series_archive).
// A series is a unit from the start, listed or not: there is nothing to list before the download.
#include "providers/provider_common.hpp"
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
        m_warnings.clear();
        auto series = query_nbia_series(m_context, dataset, source);
        if (!series) {
            return series.error();
        }
        if (!series->warning.empty()) {
            m_warnings.push_back(series->warning);
        }
        std::vector<ResolvedFile> files;
        for (const auto& row : series->rows) {
            ResolvedFile file;
            file.path = row.series_instance_uid; // the series directory
            // Only SeriesInstanceUID: v4's getImageWithMD5Hash refuses any other parameter (400).
            file.urls.push_back(series->base +
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
        auto series = query_nbia_series(m_context, dataset, source);
        if (!series) {
            const Error& error = series.error();
            ProbeStatus status = error.code() == ErrorCode::not_found       ? ProbeStatus::not_found
                                 : error.code() == ErrorCode::access_denied ? ProbeStatus::restricted
                                 : error.http_status() == 429               ? ProbeStatus::rate_limited
                                                                            : ProbeStatus::unreachable;
            return {status, error.message(), error.notes().empty() ? "" : error.notes().front(), ""};
        }
        return {ProbeStatus::ok,
                "the NBIA API lists " + std::to_string(series->rows.size()) + " series of collection '" +
                    source.param("collection") + "'; no credentials needed" +
                    (series->warning.empty() ? "" : " (" + series->warning + ")"),
                "", ""};
    }

    Error explain(const Dataset& /*dataset*/, const Source& /*source*/, Error error) const override {
        if (is_transfer_failure(error) && error.http_status() == 400) {
            // A series download sends only SeriesInstanceUID, so a 400 is NBIA refusing the series:
            // v1 says "Image with given SeriesInstanceUID,<uid>, is not in public domain.", v4 "The
            // user has not been granted the access …" (api-drift-2026.md §1.2; tcia_utils#21 shows
            // NLST series asked of the main host failing so). An access refusal, exit 4.
            Error refused(ErrorCode::access_denied, error.message(), error.notes());
            refused.note("NBIA refuses this series (HTTP 400): it is not public on this host; NLST is served by "
                         "its own NBIA host, and other collections may need a TCIA account, which cxrcat does "
                         "not use");
            if (error.http()) {
                refused.with_http(*error.http());
            }
            return refused;
        }
        return error;
    }

    [[nodiscard]] std::vector<std::string> warnings() const override { return m_warnings; }

  private:
    std::vector<std::string> m_warnings; // of the last resolve()
};

} // namespace

std::unique_ptr<ProviderClient> make_tcia_client(const ProviderContext& context) {
    return std::make_unique<TciaClient>(context);
}

} // namespace cxrcat::providers
