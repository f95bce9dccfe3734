// SPDX-License-Identifier: Apache-2.0
// Private: the series list of an IDC cohort from IDC's public REST API v3 (`POST /cohort/manifest`),
// one row per series with its bucket, crdc_series_uuid, instance count, size and DICOM identifiers.
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

// One row of a /cohort/manifest answer (models.py SeriesManifestRow).
struct IdcSeriesRow {
    std::string collection_id;
    std::string patient_id;
    std::string study_instance_uid;
    std::string series_instance_uid;
    std::string modality;
    std::string bucket;      // aws_bucket (or the bucket of series_aws_url)
    std::string series_uuid; // crdc_series_uuid: the object prefix in the bucket
    std::uint64_t instance_count = 0;
    std::optional<std::uint64_t> size_bytes; // series_size_MB (decimal MB) * 1e6, rounded

    // PatientID, StudyInstanceUID, SeriesInstanceUID, Modality, collection_id, crdc_series_uuid.
    [[nodiscard]] std::map<std::string, std::string> metadata() const;
};

// One page of the answer.
struct IdcManifestPage {
    std::uint64_t total_series = 0;
    std::uint64_t page_size = 0; // as echoed (the API clamps it silently)
    std::uint64_t returned = 0;
    bool truncated = false;
    std::vector<std::string> warnings; // counts.warnings and top-level warnings
    std::vector<IdcSeriesRow> rows;
};

// Parses one /cohort/manifest page. Errors (network) say which part of the shape was unexpected.
[[nodiscard]] Result<IdcManifestPage> parse_idc_manifest_page(std::string_view body);

// The series of a cohort, every page read.
struct IdcCohort {
    std::vector<IdcSeriesRow> series;
    std::vector<std::string> warnings;
};

// Query terms, e.g. {"collection_id": {"lidc_idri"}, "Modality": {"CT"}}.
using IdcTerms = std::map<std::string, std::vector<std::string>>;

// The JSON body of POST /cohort/manifest for one page: {"filters":{"terms":…},"page","page_size"}.
[[nodiscard]] std::string idc_api_body(const IdcTerms& terms, std::uint64_t page, std::uint64_t page_size);

// Pages through POST <idc_api>/cohort/manifest until total_series rows are read. first_page_only
// stops after one page of one row (a probe). An answer in an unexpected shape or status is an
// error naming the API version GET <idc_api>/version reports; transport failures keep their code.
[[nodiscard]] Result<IdcCohort> query_idc_cohort(const ProviderContext& context, const IdcTerms& terms,
                                                 bool first_page_only = false);

// "3.0.0b3 (IDC data version v24)" from GET <idc_api>/version, or "unknown (<why>)".
[[nodiscard]] std::string idc_api_version(const ProviderContext& context);

} // namespace cxrcat::providers
