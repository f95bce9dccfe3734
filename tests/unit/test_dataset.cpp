// SPDX-License-Identifier: Apache-2.0
#include "cxrcat/catalog/dataset.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

namespace cxrcat {
namespace {

// Every spelling parses back to an enumerator whose spelling is the same text, the spellings are
// distinct, and near misses (wrong case, underscores, blanks) are rejected.
template <typename Enum>
void expect_round_trip(const std::vector<std::string>& names, std::optional<Enum> (*parse)(std::string_view),
                       const std::vector<std::string>& expected) {
    EXPECT_EQ(names, expected);
    std::set<std::string> seen;
    for (std::size_t i = 0; i < names.size(); ++i) {
        auto parsed = parse(names[i]);
        ASSERT_TRUE(parsed.has_value()) << names[i];
        EXPECT_EQ(static_cast<std::size_t>(*parsed), i) << names[i] << " is not in declaration order";
        EXPECT_EQ(to_string(*parsed), names[i]);
        EXPECT_TRUE(seen.insert(names[i]).second) << names[i];
        std::string upper = names[i];
        for (char& c : upper) {
            c = (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
        }
        EXPECT_FALSE(parse(upper).has_value()) << upper;
        EXPECT_FALSE(parse(" " + names[i]).has_value()) << names[i];
    }
    EXPECT_FALSE(parse("").has_value());
    EXPECT_FALSE(parse("xray").has_value());
}

TEST(DatasetEnums, Modality) {
    expect_round_trip<Modality>(enum_names<Modality>(), parse_enum<Modality>, {"cxr", "ct", "mri"});
}

TEST(DatasetEnums, Category) {
    expect_round_trip<Category>(enum_names<Category>(), parse_enum<Category>, {"general", "disease-specific"});
    EXPECT_FALSE(parse_enum<Category>("disease_specific").has_value());
    EXPECT_EQ(to_string(Category::disease_specific), "disease-specific");
}

TEST(DatasetEnums, AccessClass) {
    expect_round_trip<AccessClass>(enum_names<AccessClass>(), parse_enum<AccessClass>,
                                   {"open", "registration", "credentialed", "competition", "gated", "restricted"});
}

TEST(DatasetEnums, Redistribution) {
    expect_round_trip<Redistribution>(enum_names<Redistribution>(), parse_enum<Redistribution>,
                                      {"allowed", "organisation-only", "forbidden", "unknown"});
    EXPECT_FALSE(parse_enum<Redistribution>("organization-only").has_value());
}

TEST(DatasetEnums, Availability) {
    expect_round_trip<Availability>(enum_names<Availability>(), parse_enum<Availability>,
                                    {"available", "partially-withdrawn", "withdrawn", "unknown"});
}

TEST(DatasetEnums, Provider) {
    expect_round_trip<Provider>(enum_names<Provider>(), parse_enum<Provider>,
                                {"http", "zenodo", "physionet", "kaggle", "huggingface", "idc", "tcia", "manual"});
}

TEST(DatasetEnums, SourceStatus) {
    expect_round_trip<SourceStatus>(enum_names<SourceStatus>(), parse_enum<SourceStatus>,
                                    {"available", "withdrawn", "unknown"});
}

TEST(DatasetEnums, EveryAccessClassIsExplainedDifferently) {
    std::set<std::string> seen;
    for (const auto& name : enum_names<AccessClass>()) {
        std::string text(explain(*parse_enum<AccessClass>(name)));
        EXPECT_GT(text.size(), 20U) << name;
        EXPECT_NE(text.back(), '.') << name;
        EXPECT_TRUE(seen.insert(text).second) << name;
    }
    EXPECT_NE(std::string(explain(AccessClass::credentialed)).find("PhysioNet"), std::string::npos);
    EXPECT_NE(std::string(explain(AccessClass::competition)).find("Kaggle"), std::string::npos);
    EXPECT_NE(std::string(explain(AccessClass::gated)).find("Hugging Face"), std::string::npos);
}

TEST(Dataset, CountLooksUpByName) {
    Dataset dataset;
    dataset.counts = {{"images", 247}, {"patients", std::nullopt}, {"train_images", 199}};
    EXPECT_EQ(dataset.count("images"), std::optional<std::uint64_t>(247));
    EXPECT_EQ(dataset.count("train_images"), std::optional<std::uint64_t>(199));
    EXPECT_FALSE(dataset.count("patients").has_value()); // known to be unknown
    EXPECT_FALSE(dataset.count("studies").has_value());  // not recorded
}

TEST(Source, ParamIsEmptyWhenAbsent) {
    Source source;
    source.params.emplace("record", "3723295");
    EXPECT_EQ(source.param("record"), "3723295");
    EXPECT_EQ(source.param("version"), "");
}

} // namespace
} // namespace cxrcat
