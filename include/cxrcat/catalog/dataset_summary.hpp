// SPDX-License-Identifier: Apache-2.0
// What `list` shows, filters and sorts on, for one dataset. The built-in catalog's summaries are
// made at build time (tools/catalog_summaries.cpp) so that `list` starts without parsing the full
// records; with user catalogs they are made from the loaded catalog by the same summarize().
#pragma once

#include "cxrcat/catalog/catalog.hpp"
#include "cxrcat/base/result.hpp"

#include <nlohmann/json_fwd.hpp>

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace cxrcat {

struct DatasetSummary {
    std::string id;
    std::string name;
    Modality modality = Modality::cxr;
    Category category = Category::general;
    AccessClass access_class = AccessClass::open;
    std::vector<std::string> tasks;
    std::string license_name;
    std::optional<std::string> license_spdx;
    Redistribution redistribution = Redistribution::unknown;
    Availability availability = Availability::available;
    std::optional<std::uint64_t> images; // counts["images"]
    std::optional<std::uint64_t> size_bytes;
    std::optional<int> year;
    std::string homepage;

    friend bool operator==(const DatasetSummary&, const DatasetSummary&) = default;
};

// The summary of one dataset.
[[nodiscard]] DatasetSummary summarize(const Dataset& dataset);
// The summaries of every dataset of the catalog, in its (id) order.
[[nodiscard]] std::vector<DatasetSummary> summarize(const Catalog& catalog);

// The JSON array form of summaries that the build embeds (one object per dataset).
[[nodiscard]] std::string summaries_to_json(std::span<const DatasetSummary> summaries);
// Reads summaries_to_json's form back; an error (invalid_catalog) names the first bad entry.
[[nodiscard]] Result<std::vector<DatasetSummary>> summaries_from_json(std::string_view text);

} // namespace cxrcat
