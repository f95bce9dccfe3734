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
        auto rows = query_nbia_series(m_context, dataset, source);
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
        auto rows = query_nbia_series(m_context, dataset, source);
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
};

} // namespace

std::unique_ptr<ProviderClient> make_tcia_client(const ProviderContext& context) {
    return std::make_unique<TciaClient>(context);
}

} // namespace cxrcat::providers
