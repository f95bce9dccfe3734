// SPDX-License-Identifier: Apache-2.0
#include "catalog_ids.hpp"
#include "cxrcat/catalog/catalog.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace cxrcat {
namespace {

Dataset make_dataset(const std::string& id, std::vector<std::string> aliases = {}) {
    Dataset dataset;
    dataset.id = id;
    dataset.aliases = std::move(aliases);
    dataset.name = "Dataset " + id;
    dataset.raw = {{"id", id}, {"name", dataset.name}};
    return dataset;
}

Catalog sample_catalog() {
    return Catalog({make_dataset("nih-cxr14", {"chestx-ray8", "chestx-ray14", "nih-chest-xray"}),
                    make_dataset("jsrt", {"jsrt-db"}), make_dataset("luna16", {"luna-16"}),
                    make_dataset("luna25", {"luna-25"}), make_dataset("chexpert")});
}

TEST(Catalog, EmptyCatalogFindsNothing) {
    Catalog catalog;
    EXPECT_EQ(catalog.size(), 0U);
    EXPECT_EQ(catalog.find("jsrt"), nullptr);
    EXPECT_TRUE(catalog.suggest("jsrt").empty());
}

TEST(Catalog, KeepsDatasetsInIdOrder) {
    Catalog catalog = sample_catalog();
    EXPECT_EQ(catalog.size(), 5U);
    EXPECT_EQ(test::catalog_ids(catalog),
              (std::vector<std::string>{"chexpert", "jsrt", "luna16", "luna25", "nih-cxr14"}));
}

TEST(Catalog, FindsByIdIgnoringCase) {
    Catalog catalog = sample_catalog();
    for (const char* key : {"jsrt", "JSRT", "JsRt"}) {
        const Dataset* found = catalog.find(key);
        ASSERT_NE(found, nullptr) << key;
        EXPECT_EQ(found->id, "jsrt");
    }
    ASSERT_NE(catalog.find("NIH-CXR14"), nullptr);
    EXPECT_EQ(catalog.find("NIH-CXR14")->id, "nih-cxr14");
}

TEST(Catalog, FindsByAliasIgnoringCase) {
    Catalog catalog = sample_catalog();
    for (const char* key : {"chestx-ray14", "ChestX-ray14", "CHESTX-RAY8", "nih-chest-xray"}) {
        const Dataset* found = catalog.find(key);
        ASSERT_NE(found, nullptr) << key;
        EXPECT_EQ(found->id, "nih-cxr14") << key;
    }
    ASSERT_NE(catalog.find("Luna-16"), nullptr);
    EXPECT_EQ(catalog.find("Luna-16")->id, "luna16");
}

TEST(Catalog, FindNeedsTheWholeKey) {
    Catalog catalog = sample_catalog();
    EXPECT_EQ(catalog.find("jsr"), nullptr);
    EXPECT_EQ(catalog.find("jsrt "), nullptr);
    EXPECT_EQ(catalog.find(""), nullptr);
    EXPECT_EQ(catalog.find("luna"), nullptr);
}

TEST(Catalog, SuggestsNearestIdFirst) {
    Catalog catalog = sample_catalog();
    auto suggestions = catalog.suggest("jsr");
    ASSERT_FALSE(suggestions.empty());
    EXPECT_EQ(suggestions.front(), "jsrt");

    suggestions = catalog.suggest("LNUA16");
    ASSERT_FALSE(suggestions.empty());
    EXPECT_EQ(suggestions.front(), "luna16");
}

TEST(Catalog, SuggestsTheIdWhenAnAliasIsNear) {
    Catalog catalog = sample_catalog();
    auto suggestions = catalog.suggest("chestxray14");
    ASSERT_FALSE(suggestions.empty());
    EXPECT_EQ(suggestions.front(), "nih-cxr14");
}

TEST(Catalog, SuggestRespectsLimitAndOrdersTiesById) {
    Catalog catalog = sample_catalog();
    auto suggestions = catalog.suggest("luna", 1);
    EXPECT_EQ(suggestions, std::vector<std::string>{"luna16"});
    suggestions = catalog.suggest("luna");
    EXPECT_EQ(suggestions, (std::vector<std::string>{"luna16", "luna25"}));
}

TEST(Catalog, SuggestsNothingForUnrelatedText) {
    Catalog catalog = sample_catalog();
    EXPECT_TRUE(catalog.suggest("mammography-screening").empty());
    EXPECT_TRUE(catalog.suggest("zzzz").empty());
}

TEST(Catalog, DigestDependsOnContentNotOrder) {
    Catalog forward({make_dataset("a"), make_dataset("b")});
    Catalog backward({make_dataset("b"), make_dataset("a")});
    EXPECT_EQ(forward.digest().size(), 64U);
    EXPECT_EQ(forward.digest(), backward.digest());

    Dataset changed = make_dataset("b");
    changed.raw["name"] = "Renamed";
    Catalog different({make_dataset("a"), changed});
    EXPECT_NE(forward.digest(), different.digest());
    EXPECT_NE(forward.digest(), Catalog({make_dataset("a")}).digest());
}

} // namespace
} // namespace cxrcat
