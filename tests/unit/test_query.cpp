// SPDX-License-Identifier: Apache-2.0
#include "cxrcat/catalog/query.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace cxrcat {
namespace {

struct DatasetSpec {
    std::string id;
    std::string name;
    Modality modality;
    Category category;
    AccessClass access;
    std::vector<std::string> tasks;
    std::string license_name;
    std::optional<std::string> spdx;
    std::optional<std::uint64_t> size;
    std::optional<std::uint64_t> images;
    std::optional<int> year;
};

Dataset make(const DatasetSpec& spec) {
    Dataset dataset;
    dataset.id = spec.id;
    dataset.name = spec.name;
    dataset.modality = spec.modality;
    dataset.category = spec.category;
    dataset.access.access_class = spec.access;
    dataset.tasks = spec.tasks;
    dataset.license.name = spec.license_name;
    dataset.license.spdx = spec.spdx;
    dataset.size_bytes = spec.size;
    if (spec.images) {
        dataset.counts.emplace_back("images", spec.images);
    }
    dataset.year = spec.year;
    dataset.raw = {{"id", spec.id}};
    return dataset;
}

// A small catalog whose values are chosen so that every filter and sort key separates them.
Catalog sample() {
    using M = Modality;
    using C = Category;
    using A = AccessClass;
    return Catalog({
        make({"alpha",
              "alpha chest films",
              M::cxr,
              C::general,
              A::open,
              {"Multi-label classification"},
              "Creative Commons Attribution 4.0",
              "CC-BY-4.0",
              500,
              1000,
              2017}),
        make({"bravo",
              "Bravo CT",
              M::ct,
              C::disease_specific,
              A::credentialed,
              {"nodule detection"},
              "PhysioNet Credentialed Health Data License 1.5.0",
              std::nullopt,
              std::nullopt,
              50,
              2019}),
        make({"charlie",
              "charlie",
              M::ct,
              C::general,
              A::competition,
              {"classification", "segmentation"},
              "Kaggle competition rules",
              std::nullopt,
              9000,
              std::nullopt,
              std::nullopt}),
        make({"delta",
              "Delta X-rays",
              M::cxr,
              C::disease_specific,
              A::registration,
              {"nodule segmentation"},
              "CC BY-NC-SA 4.0",
              "CC-BY-NC-SA-4.0",
              500,
              1000,
              2021}),
        make({"echo", "echo MRI", M::mri, C::general, A::gated, {}, "Apache License 2.0", "Apache-2.0", 10, 5, 2017}),
    });
}

std::vector<std::string> ids(const std::vector<const Dataset*>& datasets) {
    std::vector<std::string> out;
    for (const Dataset* dataset : datasets) {
        out.push_back(dataset->id);
    }
    return out;
}

using Ids = std::vector<std::string>;

TEST(Query, EmptyFilterSelectsEverythingInIdOrder) {
    Catalog catalog = sample();
    EXPECT_EQ(ids(select_datasets(catalog, {})), (Ids{"alpha", "bravo", "charlie", "delta", "echo"}));
}

TEST(Query, FiltersByModality) {
    Catalog catalog = sample();
    DatasetFilter filter;
    filter.modalities = {Modality::ct};
    EXPECT_EQ(ids(select_datasets(catalog, filter)), (Ids{"bravo", "charlie"}));
    filter.modalities = {Modality::mri};
    EXPECT_EQ(ids(select_datasets(catalog, filter)), (Ids{"echo"}));
}

TEST(Query, FiltersByCategory) {
    Catalog catalog = sample();
    DatasetFilter filter;
    filter.categories = {Category::disease_specific};
    EXPECT_EQ(ids(select_datasets(catalog, filter)), (Ids{"bravo", "delta"}));
}

TEST(Query, FiltersByAccessClass) {
    Catalog catalog = sample();
    DatasetFilter filter;
    filter.access_classes = {AccessClass::open};
    EXPECT_EQ(ids(select_datasets(catalog, filter)), (Ids{"alpha"}));
    filter.access_classes = {AccessClass::restricted};
    EXPECT_TRUE(select_datasets(catalog, filter).empty());
}

TEST(Query, FiltersByTaskSubstringIgnoringCase) {
    Catalog catalog = sample();
    DatasetFilter filter;
    filter.tasks = {"SEGMENTATION"};
    EXPECT_EQ(ids(select_datasets(catalog, filter)), (Ids{"charlie", "delta"}));
    filter.tasks = {"classification"};
    EXPECT_EQ(ids(select_datasets(catalog, filter)), (Ids{"alpha", "charlie"}));
}

TEST(Query, FiltersByLicenseSpdxOrNameSubstring) {
    Catalog catalog = sample();
    DatasetFilter filter;
    filter.licenses = {"cc-by-4.0"}; // SPDX id, any case; must not also match CC-BY-NC-SA-4.0
    EXPECT_EQ(ids(select_datasets(catalog, filter)), (Ids{"alpha"}));
    filter.licenses = {"physionet"}; // part of the name
    EXPECT_EQ(ids(select_datasets(catalog, filter)), (Ids{"bravo"}));
    filter.licenses = {"CC BY"}; // part of a name: "CC BY-NC-SA 4.0"
    EXPECT_EQ(ids(select_datasets(catalog, filter)), (Ids{"delta"}));
    filter.licenses = {"MIT"};
    EXPECT_TRUE(select_datasets(catalog, filter).empty());
}

TEST(Query, ValuesOfOneFieldAreAlternatives) {
    Catalog catalog = sample();
    DatasetFilter filter;
    filter.modalities = {Modality::mri, Modality::cxr};
    EXPECT_EQ(ids(select_datasets(catalog, filter)), (Ids{"alpha", "delta", "echo"}));
    filter = {};
    filter.access_classes = {AccessClass::gated, AccessClass::credentialed};
    EXPECT_EQ(ids(select_datasets(catalog, filter)), (Ids{"bravo", "echo"}));
    filter = {};
    filter.tasks = {"nodule detection", "multi-label"};
    EXPECT_EQ(ids(select_datasets(catalog, filter)), (Ids{"alpha", "bravo"}));
    filter = {};
    filter.licenses = {"Apache-2.0", "kaggle"};
    EXPECT_EQ(ids(select_datasets(catalog, filter)), (Ids{"charlie", "echo"}));
}

TEST(Query, FieldsCombineWithAnd) {
    Catalog catalog = sample();
    DatasetFilter filter;
    filter.modalities = {Modality::ct};
    filter.categories = {Category::general};
    EXPECT_EQ(ids(select_datasets(catalog, filter)), (Ids{"charlie"}));
    filter.access_classes = {AccessClass::open};
    EXPECT_TRUE(select_datasets(catalog, filter).empty());

    filter = {};
    filter.modalities = {Modality::cxr, Modality::ct};
    filter.tasks = {"segmentation"};
    filter.categories = {Category::disease_specific};
    EXPECT_EQ(ids(select_datasets(catalog, filter)), (Ids{"delta"}));
}

TEST(Query, MatchesAgreesWithSelect) {
    Catalog catalog = sample();
    DatasetFilter filter;
    filter.modalities = {Modality::cxr};
    EXPECT_TRUE(filter.matches(*catalog.find("alpha")));
    EXPECT_FALSE(filter.matches(*catalog.find("bravo")));
}

TEST(Query, SortKeysRoundTrip) {
    EXPECT_EQ(sort_key_names(), (Ids{"id", "name", "modality", "access", "size", "images", "year"}));
    for (const auto& name : sort_key_names()) {
        EXPECT_TRUE(parse_sort_key(name).has_value()) << name;
    }
    EXPECT_FALSE(parse_sort_key("Size").has_value());
    EXPECT_FALSE(parse_sort_key("").has_value());
}

TEST(Query, SortsByEachKey) {
    Catalog catalog = sample();
    auto sorted = [&](std::string_view key) { return ids(select_datasets(catalog, {}, *parse_sort_key(key))); };
    EXPECT_EQ(sorted("id"), (Ids{"alpha", "bravo", "charlie", "delta", "echo"}));
    // Case-insensitive by name.
    EXPECT_EQ(sorted("name"), (Ids{"alpha", "bravo", "charlie", "delta", "echo"}));
    // cxr, ct, mri (declaration order), ties by id.
    EXPECT_EQ(sorted("modality"), (Ids{"alpha", "delta", "bravo", "charlie", "echo"}));
    // open, registration, credentialed, competition, gated.
    EXPECT_EQ(sorted("access"), (Ids{"alpha", "delta", "bravo", "charlie", "echo"}));
    // Largest first, ties by id, unknown last.
    EXPECT_EQ(sorted("size"), (Ids{"charlie", "alpha", "delta", "echo", "bravo"}));
    EXPECT_EQ(sorted("images"), (Ids{"alpha", "delta", "bravo", "echo", "charlie"}));
    EXPECT_EQ(sorted("year"), (Ids{"delta", "bravo", "alpha", "echo", "charlie"}));
}

TEST(Query, SortByNameIgnoresCase) {
    Catalog catalog(
        {make({"a1", "zebra", Modality::cxr, Category::general, AccessClass::open, {}, "x", {}, {}, {}, {}}),
         make({"a2", "Yak", Modality::cxr, Category::general, AccessClass::open, {}, "x", {}, {}, {}, {}}),
         make({"a3", "apple", Modality::cxr, Category::general, AccessClass::open, {}, "x", {}, {}, {}, {}})});
    EXPECT_EQ(ids(select_datasets(catalog, {}, SortKey::name)), (Ids{"a3", "a2", "a1"}));
}

TEST(Query, SortAppliesAfterFiltering) {
    Catalog catalog = sample();
    DatasetFilter filter;
    filter.modalities = {Modality::cxr};
    EXPECT_EQ(ids(select_datasets(catalog, filter, SortKey::year)), (Ids{"delta", "alpha"}));
}

// Search --------------------------------------------------------------------------------------

Dataset searchable(const std::string& id, const std::string& name, std::vector<std::string> aliases,
                   std::vector<std::string> labels, std::vector<std::string> tasks, const std::string& description) {
    Dataset dataset;
    dataset.id = id;
    dataset.name = name;
    dataset.aliases = std::move(aliases);
    dataset.labels = std::move(labels);
    dataset.tasks = std::move(tasks);
    dataset.description = description;
    dataset.raw = {{"id", id}};
    return dataset;
}

Catalog search_sample() {
    return Catalog({
        searchable("pneumo", "Pneumothorax challenge", {}, {"Pneumothorax"}, {"segmentation"}, "Chest films"),
        searchable("nodules", "Lung nodules", {"nod"}, {"nodule", "mass"}, {"detection"}, "pneumothorax is rare"),
        searchable("tb", "Tuberculosis set", {"pneumothorax-free"}, {"tb"}, {"classification"}, "TB screening"),
        searchable("misc", "Misc", {}, {"effusion"}, {"pneumothorax triage"}, "assorted"),
    });
}

std::vector<std::string> hit_ids(const std::vector<SearchHit>& hits) {
    std::vector<std::string> out;
    for (const auto& hit : hits) {
        out.push_back(hit.dataset->id);
    }
    return out;
}

TEST(Search, RanksByTheWeightOfTheBestField) {
    Catalog catalog = search_sample();
    auto hits = search_datasets(catalog, "pneumothorax");
    // name (8) beats alias (6) beats task (3) beats description (1); a word scores its best field.
    ASSERT_EQ(hit_ids(hits), (Ids{"pneumo", "tb", "misc", "nodules"}));
    EXPECT_EQ(hits[0].score, 8);
    EXPECT_EQ(hits[1].score, 6);
    EXPECT_EQ(hits[2].score, 3);
    EXPECT_EQ(hits[3].score, 1);
    EXPECT_EQ(hits[0].matched_fields, (Ids{"name", "labels"}));
    EXPECT_EQ(hits[3].matched_fields, (Ids{"description"}));
}

TEST(Search, ExactIdOutranksEverything) {
    Catalog catalog = search_sample();
    auto hits = search_datasets(catalog, "TB");
    ASSERT_FALSE(hits.empty());
    EXPECT_EQ(hits[0].dataset->id, "tb");
    EXPECT_EQ(hits[0].score, 20); // exact id: 10 * 2
}

TEST(Search, EveryWordMustMatch) {
    Catalog catalog = search_sample();
    EXPECT_EQ(hit_ids(search_datasets(catalog, "lung nodule")), (Ids{"nodules"}));
    EXPECT_EQ(hit_ids(search_datasets(catalog, "nodule, pneumothorax")), (Ids{"nodules"}));
    EXPECT_TRUE(search_datasets(catalog, "nodule effusion").empty());
    auto hits = search_datasets(catalog, "lung nodule");
    EXPECT_EQ(hits[0].score, 8 + 10); // "lung": name substring (8); "nodule": id substring (10)
}

TEST(Search, BlankTextFindsNothing) {
    Catalog catalog = search_sample();
    EXPECT_TRUE(search_datasets(catalog, "").empty());
    EXPECT_TRUE(search_datasets(catalog, "  , \t").empty());
}

} // namespace
} // namespace cxrcat
