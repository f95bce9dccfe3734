// SPDX-License-Identifier: Apache-2.0
// `cxrcat show` and `cxrcat search`: ids and aliases in any case, full facts, JSON output.
#include "cli_test.hpp"

namespace cxrcat::test {
namespace {

using Show = CliTest;

TEST_F(Show, IdsAndAliasesAreCaseInsensitive) {
    for (const char* key :
         {"nih-cxr14", "NIH-CXR14", "chestx-ray14", "ChestX-ray14", "CHESTX-RAY8", "nih-chest-xray"}) {
        ProcessResult result = cxrcat({"show", key});
        ASSERT_EQ(result.exit_code, 0) << key << "\n" << result.describe();
        EXPECT_EQ(result.out.rfind("nih-cxr14 — ", 0), 0U) << key << ": " << result.out.substr(0, 80);
        EXPECT_EQ(result.err, "");
    }
}

TEST_F(Show, JsonIsTheCatalogEntry) {
    ProcessResult result = cxrcat({"show", "LUNA-16", "--format", "json"});
    ASSERT_EQ(result.exit_code, 0) << result.describe();
    json shown = json::parse(result.out);
    json entry = builtin_entry("luna16");
    EXPECT_EQ(shown["id"], "luna16");
    for (const auto& [key, value] : entry.items()) {
        EXPECT_EQ(shown[key], value) << key;
    }
    EXPECT_TRUE(shown.contains("redistribution"));
}

TEST_F(Show, TextHasTheFactsStepsAndSources) {
    ProcessResult result = cxrcat({"show", "nih-cxr14"});
    ASSERT_EQ(result.exit_code, 0) << result.describe();
    json entry = builtin_entry("nih-cxr14");
    EXPECT_TRUE(contains(result.out, "  modality:       cxr\n")) << result.out;
    EXPECT_TRUE(contains(result.out, entry["publisher"].get<std::string>()));
    EXPECT_TRUE(contains(result.out, "images 112,120")) << result.out;
    EXPECT_TRUE(contains(result.out, "  steps:\n    1. "));
    EXPECT_TRUE(contains(result.out, "  sources:\n    1. "));
    EXPECT_TRUE(contains(result.out, "  facts from:"));
    EXPECT_TRUE(contains(result.out, "  catalog file:   catalog/datasets/nih-cxr14.json\n")) << result.out;
    for (const auto& step : entry["access"]["steps"]) {
        EXPECT_TRUE(contains(result.out, step.get<std::string>())) << step;
    }
}

TEST_F(Show, LineageWarnsAboutLeakageBothWays) {
    ProcessResult rsna = cxrcat({"show", "rsna-pneumonia"});
    ASSERT_EQ(rsna.exit_code, 0) << rsna.describe();
    EXPECT_TRUE(contains(rsna.out, "  lineage:\n")) << rsna.out;
    EXPECT_TRUE(contains(rsna.out, "nih-cxr14")) << rsna.out;
    EXPECT_TRUE(contains(rsna.out, "train/test leakage")) << rsna.out;

    ProcessResult lidc = cxrcat({"show", "lidc-idri"});
    ASSERT_EQ(lidc.exit_code, 0) << lidc.describe();
    EXPECT_TRUE(contains(lidc.out, "luna16")) << lidc.out;
    EXPECT_TRUE(contains(lidc.out, "train/test leakage")) << lidc.out;
}

TEST_F(Show, ALinkBothDatasetsDeclareIsShownOnce) {
    // luna16 and lidc-idri each declare the other.
    ProcessResult luna = cxrcat({"show", "luna16"});
    ASSERT_EQ(luna.exit_code, 0) << luna.describe();
    std::string lineage = luna.out.substr(luna.out.find("  lineage:\n"));
    lineage = lineage.substr(0, lineage.find("  warning:"));
    std::size_t mentions = 0;
    for (std::size_t at = lineage.find("lidc-idri"); at != std::string::npos; at = lineage.find("lidc-idri", at + 1)) {
        ++mentions;
    }
    EXPECT_EQ(mentions, 1U) << lineage;
}

TEST_F(Show, DatasetWithoutLineageHasNoLeakageWarning) {
    ProcessResult result = cxrcat({"show", "lab-cxr", "--catalog", fixture("catalogs/minimal/lab-cxr.json").string()});
    ASSERT_EQ(result.exit_code, 0) << result.describe();
    EXPECT_FALSE(contains(result.out, "leakage")) << result.out;
}

TEST_F(Show, MinimalEntryIsShownAsJson) {
    ProcessResult result =
        cxrcat({"--catalog", fixture("catalogs/minimal/lab-cxr.json").string(), "show", "lab-cxr", "--format", "json"});
    ASSERT_EQ(result.exit_code, 0) << result.describe();
    EXPECT_EQ(result.err, "");
    json shown = json::parse(result.out);
    json written = json::parse(read_text_file(fixture("catalogs/minimal/lab-cxr.json")));
    for (const auto& [key, value] : written.items()) {
        EXPECT_EQ(shown[key], value) << key;
    }
    EXPECT_EQ(shown["redistribution"], "unknown");
    EXPECT_EQ(shown["sources"][0]["files"][0]["sha256"],
              "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST_F(Show, MinimalEntryAsText) {
    ProcessResult result = cxrcat({"--catalog", fixture("catalogs/minimal").string(), "show", "LAB-CXR"});
    ASSERT_EQ(result.exit_code, 0) << result.describe();
    EXPECT_EQ(result.out.rfind("lab-cxr — Lab CXR set\n", 0), 0U) << result.out;
    EXPECT_TRUE(contains(result.out, "    1. http — ") || contains(result.out, "    1. http\n")) << result.out;
    EXPECT_TRUE(contains(result.out, "images/part1.tar.gz  1.2 KB  sha256 "
                                     "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad  (extracted)"))
        << result.out;
    EXPECT_TRUE(contains(result.out, "redistribution: unknown")) << result.out;
}

TEST_F(Show, SearchRanksAndFilters) {
    ProcessResult result = cxrcat({"search", "pneumothorax", "--format", "ids"});
    ASSERT_EQ(result.exit_code, 0) << result.describe();
    auto ids = split_lines(result.out);
    ASSERT_FALSE(ids.empty());
    EXPECT_EQ(ids.front(), "siim-acr-pneumothorax");

    result = cxrcat({"search", "LUNA16", "--format", "json"});
    ASSERT_EQ(result.exit_code, 0) << result.describe();
    json hits = json::parse(result.out);
    ASSERT_FALSE(hits.empty());
    EXPECT_EQ(hits[0]["id"], "luna16");
    for (std::size_t i = 1; i < hits.size(); ++i) {
        EXPECT_LE(hits[i]["score"].get<int>(), hits[i - 1]["score"].get<int>());
    }

    result = cxrcat({"search", "tuberculosis", "segmentation", "--format", "ids"});
    ASSERT_EQ(result.exit_code, 0) << result.describe();
    for (const auto& id : split_lines(result.out)) {
        EXPECT_TRUE(id == "shenzhen" || id == "montgomery") << id;
    }
    EXPECT_FALSE(result.out.empty());
}

TEST_F(Show, SearchWithoutHitsIsANote) {
    ProcessResult result = cxrcat({"search", "mammography"});
    EXPECT_EQ(result.exit_code, 0) << result.describe();
    EXPECT_EQ(result.out, "");
    EXPECT_EQ(result.err, "cxrcat: note: no dataset matches 'mammography'\n");
}

} // namespace
} // namespace cxrcat::test
