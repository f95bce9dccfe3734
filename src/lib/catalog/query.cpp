// SPDX-License-Identifier: Apache-2.0
#include "cxrcat/catalog/query.hpp"

#include "cxrcat/base/text.hpp"

#include <algorithm>
#include <array>

namespace cxrcat {

namespace {

template <typename T> bool allowed(const std::vector<T>& wanted, const T& value) {
    return wanted.empty() || std::find(wanted.begin(), wanted.end(), value) != wanted.end();
}

bool any_contains(const std::vector<std::string>& values, std::string_view needle) {
    return std::any_of(values.begin(), values.end(),
                       [&](const std::string& value) { return contains_ignoring_case(value, needle); });
}

bool license_matches(const DatasetSummary& dataset, std::string_view wanted) {
    if (dataset.license_spdx && to_lower(*dataset.license_spdx) == to_lower(wanted)) {
        return true;
    }
    return contains_ignoring_case(dataset.license_name, wanted);
}

constexpr std::array<std::string_view, 7> k_sort_keys{"id", "name", "modality", "access", "size", "images", "year"};

// Larger first, unknown last: the order a person scanning for "the biggest" expects.
template <typename T> bool larger_first(const std::optional<T>& a, const std::optional<T>& b) {
    if (a.has_value() != b.has_value()) {
        return a.has_value();
    }
    return a.has_value() && *a > *b;
}

std::vector<std::string> words_of(std::string_view text) {
    std::vector<std::string> words;
    std::string current;
    for (char c : text) {
        if (c == ' ' || c == '\t' || c == ',') {
            if (!current.empty()) {
                words.push_back(to_lower(current));
                current.clear();
            }
        } else {
            current.push_back(c);
        }
    }
    if (!current.empty()) {
        words.push_back(to_lower(current));
    }
    return words;
}

} // namespace

bool DatasetFilter::matches(const DatasetSummary& dataset) const {
    if (!allowed(modalities, dataset.modality) || !allowed(categories, dataset.category) ||
        !allowed(access_classes, dataset.access_class)) {
        return false;
    }
    if (!tasks.empty() && std::none_of(tasks.begin(), tasks.end(),
                                       [&](const std::string& task) { return any_contains(dataset.tasks, task); })) {
        return false;
    }
    return licenses.empty() || std::any_of(licenses.begin(), licenses.end(), [&](const std::string& license) {
               return license_matches(dataset, license);
           });
}

std::optional<SortKey> parse_sort_key(std::string_view text) {
    for (std::size_t i = 0; i < k_sort_keys.size(); ++i) {
        if (k_sort_keys[i] == text) {
            return static_cast<SortKey>(i);
        }
    }
    return std::nullopt;
}

std::vector<std::string> sort_key_names() {
    return {k_sort_keys.begin(), k_sort_keys.end()};
}

std::vector<const DatasetSummary*> select_datasets(std::span<const DatasetSummary> datasets,
                                                   const DatasetFilter& filter, SortKey key) {
    std::vector<const DatasetSummary*> out;
    for (const auto& dataset : datasets) {
        if (filter.matches(dataset)) {
            out.push_back(&dataset);
        }
    }
    auto before = [key](const DatasetSummary* a, const DatasetSummary* b) {
        switch (key) {
        case SortKey::id: return false;
        case SortKey::name: return to_lower(a->name) < to_lower(b->name);
        case SortKey::modality: return a->modality < b->modality;
        case SortKey::access: return a->access_class < b->access_class;
        case SortKey::size: return larger_first(a->size_bytes, b->size_bytes);
        case SortKey::images: return larger_first(a->images, b->images);
        case SortKey::year: return larger_first(a->year, b->year);
        }
        return false;
    };
    // The summaries come in id order, so a stable sort leaves ties by id.
    std::stable_sort(out.begin(), out.end(), before);
    return out;
}

std::vector<const Dataset*> select_datasets(const Catalog& catalog, const DatasetFilter& filter, SortKey key) {
    std::vector<DatasetSummary> summaries = summarize(catalog);
    std::vector<const Dataset*> out;
    for (const DatasetSummary* selected : select_datasets(summaries, filter, key)) {
        out.push_back(&catalog.datasets()[static_cast<std::size_t>(selected - summaries.data())]);
    }
    return out;
}

std::vector<SearchHit> search_datasets(const Catalog& catalog, std::string_view text) {
    struct Field {
        std::string_view name;
        int weight;
    };
    std::vector<std::string> words = words_of(text);
    std::vector<SearchHit> hits;
    if (words.empty()) {
        return hits;
    }
    for (const auto& dataset : catalog.datasets()) {
        const std::vector<std::pair<Field, std::vector<std::string>>> fields{
            {{"id", 10}, {dataset.id}},      {{"name", 8}, {dataset.name}}, {{"aliases", 6}, dataset.aliases},
            {{"labels", 4}, dataset.labels}, {{"tasks", 3}, dataset.tasks}, {{"description", 1}, {dataset.description}},
        };
        SearchHit hit{&dataset, 0, {}};
        bool every_word = true;
        for (const auto& word : words) {
            int best = 0;
            for (const auto& [field, values] : fields) {
                if (any_contains(values, word)) {
                    // An exact id/alias/label match outranks a substring match.
                    bool exact = std::any_of(values.begin(), values.end(),
                                             [&](const std::string& v) { return to_lower(v) == word; });
                    best = std::max(best, field.weight * (exact ? 2 : 1));
                    if (std::find(hit.matched_fields.begin(), hit.matched_fields.end(), field.name) ==
                        hit.matched_fields.end()) {
                        hit.matched_fields.emplace_back(field.name);
                    }
                }
            }
            if (best == 0) {
                every_word = false;
                break;
            }
            hit.score += best;
        }
        if (every_word) {
            hits.push_back(std::move(hit));
        }
    }
    std::stable_sort(hits.begin(), hits.end(),
                     [](const SearchHit& a, const SearchHit& b) { return a.score > b.score; });
    return hits;
}

} // namespace cxrcat
