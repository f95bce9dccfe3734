// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "cxrcat/catalog/catalog.hpp"
#include "cxrcat/catalog/dataset_summary.hpp"

#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace cxrcat {

// Filters for `list`. Values within one field are alternatives (OR); fields combine with AND.
struct DatasetFilter {
    std::vector<Modality> modalities;
    std::vector<Category> categories;
    std::vector<AccessClass> access_classes;
    std::vector<std::string> tasks;    // case-insensitive substring of any task
    std::vector<std::string> licenses; // case-insensitive: SPDX id equal, or substring of the name

    [[nodiscard]] bool matches(const DatasetSummary& dataset) const;
    [[nodiscard]] bool matches(const Dataset& dataset) const { return matches(summarize(dataset)); }
};

enum class SortKey { id, name, modality, access, size, images, year };

[[nodiscard]] std::optional<SortKey> parse_sort_key(std::string_view text);
[[nodiscard]] std::vector<std::string> sort_key_names();

// Returns the datasets that match filter, ordered by key (ties by the order given: the catalog's id
// order). Size, images and year sort largest/newest first, unknown values last.
[[nodiscard]] std::vector<const DatasetSummary*>
select_datasets(std::span<const DatasetSummary> datasets, const DatasetFilter& filter, SortKey key = SortKey::id);
// The same selection over a loaded catalog's full records.
[[nodiscard]] std::vector<const Dataset*> select_datasets(const Catalog& catalog, const DatasetFilter& filter,
                                                          SortKey key = SortKey::id);

struct SearchHit {
    const Dataset* dataset = nullptr;
    int score = 0;
    std::vector<std::string> matched_fields; // e.g. "id", "labels"
};

// Ranks datasets by how well they match every word of text (id and name weigh most, then aliases,
// labels, tasks, description). Datasets that miss any word are left out.
[[nodiscard]] std::vector<SearchHit> search_datasets(const Catalog& catalog, std::string_view text);

} // namespace cxrcat
