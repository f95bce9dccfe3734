// SPDX-License-Identifier: Apache-2.0
// Fuzzes the catalog loader: JSON syntax, validation of every field, collisions between files.
// The input holds up to three catalog files separated by NUL bytes; with more than one, the first
// plays the built-in catalog and the others user catalogs that may replace its entries.
#include "cxrcat/base/text.hpp"
#include "cxrcat/catalog/catalog_loader.hpp"
#include "cxrcat/catalog/query.hpp"
#include "fuzz_support.hpp"

#include <set>
#include <string>

CXRCAT_FUZZ_TEXT_HARNESS(text) {
    auto parts = fuzz_split(text, '\0', 3);
    std::vector<CatalogText> texts;
    for (std::size_t i = 0; i < parts.size(); ++i) {
        texts.push_back({"fuzz-" + std::to_string(i) + ".json", std::string(parts[i]), parts.size() > 1 && i == 0});
    }
    LoadedCatalog loaded = load_catalog_texts(texts);
    for (const auto& problem : loaded.problems) {
        fuzz_require(!problem.file.empty() && !problem.message.empty(), "a problem names its file and says what");
        fuzz_require(problem.pointer.empty() || problem.pointer.front() == '/',
                     "a problem's pointer is a JSON pointer");
        (void)problem.to_string();
    }
    // The loader guarantees unique ids and aliases (case-insensitively): every one finds its dataset.
    std::set<std::string> keys;
    for (const auto& dataset : loaded.catalog.datasets()) {
        fuzz_require(!dataset.id.empty(), "a loaded dataset has an id");
        fuzz_require(keys.insert(to_lower(dataset.id)).second, "ids are unique");
        fuzz_require(loaded.catalog.find(dataset.id) == &dataset, "find(id) gives the dataset");
        for (const auto& alias : dataset.aliases) {
            fuzz_require(keys.insert(to_lower(alias)).second, "aliases are unique");
            fuzz_require(loaded.catalog.find(alias) == &dataset, "find(alias) gives the dataset");
        }
    }
    if (!loaded.catalog.datasets().empty()) {
        (void)search_datasets(loaded.catalog, parts.back().substr(0, 16));
        (void)loaded.catalog.suggest(parts[0].substr(0, 16));
        for (SortKey key : {SortKey::id, SortKey::name, SortKey::modality, SortKey::access, SortKey::size,
                            SortKey::images, SortKey::year}) {
            fuzz_require(select_datasets(loaded.catalog, DatasetFilter{}, key).size() == loaded.catalog.size(),
                         "an empty filter selects every dataset");
        }
    }
}
