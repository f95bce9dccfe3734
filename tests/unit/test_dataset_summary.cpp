// SPDX-License-Identifier: Apache-2.0
#include "cxrcat/catalog/catalog_loader.hpp"
#include "cxrcat/catalog/dataset_summary.hpp"
#include "cxrcat/catalog/query.hpp"

#include <gtest/gtest.h>

namespace cxrcat {
namespace {

const Catalog& builtin_catalog() {
    static const LoadedCatalog loaded = load_catalog(CatalogSources{true, {}});
    return loaded.catalog;
}

TEST(DatasetSummary, TakesListFieldsFromTheRecord) {
    const Dataset* nih = builtin_catalog().find("nih-cxr14");
    ASSERT_NE(nih, nullptr);
    DatasetSummary summary = summarize(*nih);
    EXPECT_EQ(summary.id, nih->id);
    EXPECT_EQ(summary.name, nih->name);
    EXPECT_EQ(summary.access_class, nih->access.access_class);
    EXPECT_EQ(summary.license_name, nih->license.name);
    EXPECT_EQ(summary.license_spdx, nih->license.spdx);
    EXPECT_EQ(summary.images, nih->count("images"));
    ASSERT_TRUE(summary.images.has_value());
    EXPECT_EQ(summary.size_bytes, nih->size_bytes);
    EXPECT_EQ(summary.year, nih->year);
    EXPECT_EQ(summary.tasks, nih->tasks);
}

TEST(DatasetSummary, JsonFormRoundTripsEveryBuiltinDataset) {
    std::vector<DatasetSummary> summaries = summarize(builtin_catalog());
    ASSERT_EQ(summaries.size(), builtin_catalog().size());
    auto read_back = summaries_from_json(summaries_to_json(summaries));
    ASSERT_TRUE(read_back) << read_back.error().message();
    EXPECT_EQ(*read_back, summaries);
}

TEST(DatasetSummary, UnreadableFormIsAnInvalidCatalogNamingTheEntry) {
    auto not_array = summaries_from_json(R"({"id": "x"})");
    ASSERT_FALSE(not_array);
    EXPECT_EQ(not_array.error().code(), ErrorCode::invalid_catalog);

    std::vector<DatasetSummary> summaries = summarize(builtin_catalog());
    std::string text = summaries_to_json(std::span(summaries).first(2));
    auto at = text.rfind("\"modality\":\"");
    ASSERT_NE(at, std::string::npos);
    text.replace(at, 12, "\"modality\":\"x");
    auto bad = summaries_from_json(text);
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.error().code(), ErrorCode::invalid_catalog);
    EXPECT_NE(bad.error().message().find("dataset summary 2"), std::string::npos) << bad.error().message();
    EXPECT_NE(bad.error().message().find("modality"), std::string::npos) << bad.error().message();
}

TEST(DatasetSummary, SelectionOverSummariesMatchesSelectionOverRecords) {
    std::vector<DatasetSummary> summaries = summarize(builtin_catalog());
    DatasetFilter filter;
    filter.modalities = {Modality::ct};
    for (SortKey key : {SortKey::id, SortKey::name, SortKey::size, SortKey::images, SortKey::year}) {
        std::vector<std::string> from_summaries;
        for (const DatasetSummary* summary : select_datasets(summaries, filter, key)) {
            from_summaries.push_back(summary->id);
        }
        std::vector<std::string> from_records;
        for (const Dataset* dataset : select_datasets(builtin_catalog(), filter, key)) {
            from_records.push_back(dataset->id);
        }
        EXPECT_FALSE(from_records.empty());
        EXPECT_EQ(from_summaries, from_records);
    }
}

} // namespace
} // namespace cxrcat
