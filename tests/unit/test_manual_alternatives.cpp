// SPDX-License-Identifier: Apache-2.0
#include "plan/manual_alternatives.hpp"

#include <gtest/gtest.h>

namespace cxrcat {
namespace {

Source manual_source(const std::string& name, const std::string& alternative, const std::vector<std::string>& files) {
    Source source;
    source.provider = Provider::manual;
    source.name = name;
    source.alternative = alternative;
    for (const auto& path : files) {
        source.files.push_back(FileEntry{path, std::nullopt, std::nullopt, {}, false, std::nullopt, ""});
    }
    return source;
}

Dataset two_alternatives() {
    Dataset dataset;
    dataset.id = "d";
    dataset.sources = {manual_source("full", "same", {"a.zip", "b.zip", "labels.csv"}),
                       manual_source("small", "same", {"small.zip"}), manual_source("", "", {"extra.txt"})};
    Source withdrawn = manual_source("old", "same", {"old.zip"});
    withdrawn.status = SourceStatus::withdrawn;
    dataset.sources.push_back(withdrawn);
    return dataset;
}

std::vector<LocalMatch> matches_for(const Dataset& dataset, const std::vector<std::size_t>& group,
                                    const std::vector<std::filesystem::path>& found) {
    std::vector<LocalMatch> matches;
    for (std::size_t index : group) {
        matches.push_back(
            match_local_files(dataset.sources[index], index, found, [](const std::string&) { return true; }));
    }
    return matches;
}

TEST(ManualAlternatives, GroupsAlternativesInCatalogOrderAndSkipsWithdrawnSources) {
    Dataset dataset = two_alternatives();
    EXPECT_EQ(manual_source_groups(dataset, ""), (std::vector<std::vector<std::size_t>>{{0, 1}, {2}}));
    // --source by name narrows its group only; by provider ("manual") it names them all.
    EXPECT_EQ(manual_source_groups(dataset, "small"), (std::vector<std::vector<std::size_t>>{{1}, {2}}));
    EXPECT_EQ(manual_source_groups(dataset, "manual"), (std::vector<std::vector<std::size_t>>{{0, 1}, {2}}));
    EXPECT_EQ(manual_source_groups(dataset, "tcia"), (std::vector<std::vector<std::size_t>>{{0, 1}, {2}}));
}

TEST(ManualAlternatives, AdoptsTheFirstCompleteOneThenTheFullestOne) {
    Dataset dataset = two_alternatives();
    // Files are matched by name wherever they sit under --from.
    auto both = matches_for(dataset, {0, 1}, {"x/a.zip", "b.zip", "labels.csv", "small.zip"});
    AlternativeChoice first = choose_local_alternative(both);
    ASSERT_TRUE(first.adopted.has_value());
    EXPECT_EQ(*first.adopted, 0U);
    EXPECT_TRUE(first.complete);

    auto small_only = matches_for(dataset, {0, 1}, {"small.zip", "a.zip"});
    AlternativeChoice second = choose_local_alternative(small_only);
    ASSERT_TRUE(second.adopted.has_value());
    EXPECT_EQ(*second.adopted, 1U); // complete beats fuller-but-incomplete
    EXPECT_TRUE(second.complete);

    auto partial = matches_for(dataset, {0, 1}, {"a.zip", "b.zip"});
    AlternativeChoice fullest = choose_local_alternative(partial);
    ASSERT_TRUE(fullest.adopted.has_value());
    EXPECT_EQ(*fullest.adopted, 0U);
    EXPECT_FALSE(fullest.complete);
    EXPECT_EQ(partial[0].missing, std::vector<std::string>{"labels.csv"});
    EXPECT_EQ(describe_local_alternative(dataset, partial[0], true),
              "source 1 'full' expects: a.zip, b.zip, labels.csv; not under --from: labels.csv");
    EXPECT_EQ(describe_local_alternative(dataset, partial[1], false), "source 2 'small' expects: small.zip");

    EXPECT_FALSE(choose_local_alternative(matches_for(dataset, {0, 1}, {"other.bin"})).adopted.has_value());
}

} // namespace
} // namespace cxrcat
