// SPDX-License-Identifier: Apache-2.0
// Private: the series of a TCIA collection from the public NBIA REST API (`GET /getSeries`), one
// row per series with its DICOM identifiers, image count and size.
#pragma once

#include "cxrcat/base/result.hpp"
#include "cxrcat/providers/provider.hpp"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cxrcat::providers {

// One object of a getSeries answer (the fields cxrcat reads; NBIA sends more).
struct NbiaSeriesRow {
    std::string series_instance_uid; // also the series directory under the dataset
    std::string study_instance_uid;
    std::string patient_id;
    std::string modality;
    std::string collection;
    std::uint64_t image_count = 0;          // ImageCount (0: not given)
    std::optional<std::uint64_t> file_size; // FileSize: the DICOM bytes of the series, not the zip's

    // PatientID, StudyInstanceUID, SeriesInstanceUID, Modality, Collection (empty values left out).
    [[nodiscard]] std::map<std::string, std::string> metadata() const;
};

// Parses a getSeries answer: a JSON array of series objects; an empty (or blank) body is NBIA's
// "no results" and gives no rows. Errors (network) say which part of the shape was unexpected;
// a SeriesInstanceUID that cannot be a directory name is an integrity error.
[[nodiscard]] Result<std::vector<NbiaSeriesRow>> parse_nbia_series(std::string_view body);

// The answer of query_nbia_series: the rows, and the API base that gave them.
struct NbiaSeries {
    std::vector<NbiaSeriesRow> rows;
    std::string base;    // the context's base, or its v1 twin after a fallback
    std::string warning; // "" unless v4 failed and v1 answered (say so)
};

// The NBIA base a tcia source asks: NLST's own host for "host": "nlst" (api-drift-2026.md §1.4,
// tcia_utils `api_url="nlst"`), else the main one; and the variable that overrides it.
[[nodiscard]] bool on_nlst_host(const Source& source);
[[nodiscard]] std::string nbia_base(const ProviderEndpoints& endpoints, const Source& source);
[[nodiscard]] std::string_view nbia_base_variable(const Source& source);

// The series of the source's collection (and modality, when it names one), asked of the context's
// NBIA API. A v4 base that answers 404 or 410 is asked once more at v1 (TCIA keeps v1 while it is
// "in the process of being deprecated", api-drift-2026.md §1.1). Errors: access_denied (401/403),
// not_found (no getSeries at either version, or no series: a wrong collection name), network
// (anything else), each saying which request failed.
[[nodiscard]] Result<NbiaSeries> query_nbia_series(const ProviderContext& context, const Dataset& dataset,
                                                   const Source& source);

} // namespace cxrcat::providers
