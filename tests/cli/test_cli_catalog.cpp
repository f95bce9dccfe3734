// SPDX-License-Identifier: Apache-2.0
// User catalogs: --catalog and CXRCAT_CATALOG, replacing built-in entries, and `catalog validate`.
#include "cli_test.hpp"
#include "cxrcat/catalog/catalog_loader.hpp"

namespace cxrcat::test {
namespace {

using UserCatalog = CliTest;

TEST_F(UserCatalog, OptionReplacesABuiltInIdWithANotice) {
    json jsrt = builtin_entry("jsrt");
    jsrt["name"] = "JSRT, the lab's local copy";
    write_text_file(m_dir / "lab" / "jsrt.json", jsrt.dump(2));
    ProcessResult result = cxrcat({"--catalog", (m_dir / "lab").string(), "show", "jsrt", "--format", "json"});
    ASSERT_EQ(result.exit_code, 0) << result.describe();
    EXPECT_EQ(json::parse(result.out)["name"], "JSRT, the lab's local copy");
    EXPECT_EQ(result.err, "cxrcat: note: " + (m_dir / "lab" / "jsrt.json").string() +
                              ": dataset 'jsrt' replaces the built-in entry\n");

    result = cxrcat({"--catalog", (m_dir / "lab").string(), "list", "--format", "ids"});
    ASSERT_EQ(result.exit_code, 0) << result.describe();
    EXPECT_EQ(split_lines(result.out).size(), 21U);
    EXPECT_TRUE(contains(result.err, "replaces the built-in entry")) << result.err;
}

TEST_F(UserCatalog, EnvironmentAndOptionCombine) {
    write_text_file(m_dir / "a.json", read_text_file(fixture("catalogs/minimal/lab-cxr.json")));
    ProcessResult result = cxrcat({"--catalog", fixture("catalogs/valid/two-datasets.json").string(), "list",
                                   "--format", "ids", "--modality", "cxr"},
                                  {{"CXRCAT_CATALOG", (m_dir / "a.json").string()}});
    ASSERT_EQ(result.exit_code, 0) << result.describe();
    auto ids = split_lines(result.out);
    EXPECT_NE(std::find(ids.begin(), ids.end(), "lab-cxr"), ids.end());
    EXPECT_NE(std::find(ids.begin(), ids.end(), "fx-one"), ids.end());
    EXPECT_EQ(std::find(ids.begin(), ids.end(), "fx-two"), ids.end()); // a CT entry
    EXPECT_EQ(result.err, "");
}

TEST_F(UserCatalog, RepeatedOptionAndColonSeparatedEnvironment) {
    ProcessResult result = cxrcat({"--catalog", fixture("catalogs/minimal").string(), "--catalog",
                                   fixture("catalogs/valid").string(), "list", "--format", "ids"});
    ASSERT_EQ(result.exit_code, 0) << result.describe();
    EXPECT_EQ(split_lines(result.out).size(), 24U);

    result = cxrcat({"list", "--format", "ids"},
                    {{"CXRCAT_CATALOG", fixture("catalogs/minimal").string() + ":" +
                                            fixture("catalogs/valid/two-datasets.json").string()}});
    ASSERT_EQ(result.exit_code, 0) << result.describe();
    EXPECT_EQ(split_lines(result.out).size(), 24U);
}

TEST_F(UserCatalog, SameUserEntryTwiceIsInvalid) {
    ProcessResult result = cxrcat({"--catalog", fixture("catalogs/minimal").string(), "--catalog",
                                   fixture("catalogs/minimal/lab-cxr.json").string(), "list"});
    EXPECT_EQ(result.exit_code, 9) << result.describe();
    EXPECT_TRUE(contains(result.err, "id \"lab-cxr\" is already defined in")) << result.err;
}

TEST_F(UserCatalog, ValidatePrintsEveryProblemAsTheLoaderReportsIt) {
    const fs::path dir = fixture("catalogs/invalid");
    ProcessResult result = cxrcat({"catalog", "validate", dir.string()});
    EXPECT_EQ(result.exit_code, 9) << result.describe();
    // Exactly the library's list, one `file: /pointer: message` per line (the unit test pins the texts).
    LoadedCatalog loaded = load_catalog(CatalogSources{true, {dir}});
    std::vector<std::string> expected;
    for (const auto& problem : loaded.problems) {
        expected.push_back(problem.to_string());
    }
    ASSERT_EQ(expected.size(), 13U);
    EXPECT_EQ(split_lines(result.out), expected);
    EXPECT_TRUE(contains(result.out, (dir / "02-entries.json").string() +
                                         ": /datasets/5/sources/0/files/0/size: must not be negative, got -5\n"));
    EXPECT_EQ(result.err, "cxrcat: error: 13 problems found in 24 catalog files\n");
}

TEST_F(UserCatalog, ValidateOfAGoodFileSaysOk) {
    ProcessResult result = cxrcat({"catalog", "validate", fixture("catalogs/minimal/lab-cxr.json").string()});
    EXPECT_EQ(result.exit_code, 0) << result.describe();
    EXPECT_EQ(result.out, "");
    std::string version = read_text_file(fs::path(CXRCAT_SOURCE_DIR) / "catalog" / "VERSION");
    version.erase(version.find_last_not_of(" \n") + 1);
    EXPECT_EQ(result.err, "cxrcat: note: catalog ok: 22 datasets from 22 files (built-in catalog " + version + ")\n");
}

TEST_F(UserCatalog, ValidateWithoutPathsChecksTheCatalogsInEffect) {
    ProcessResult ok = cxrcat({"catalog", "validate"});
    EXPECT_EQ(ok.exit_code, 0) << ok.describe();
    EXPECT_TRUE(contains(ok.err, "catalog ok: 21 datasets")) << ok.err;

    ProcessResult bad =
        cxrcat({"catalog", "validate"}, {{"CXRCAT_CATALOG", fixture("catalogs/invalid/01-syntax.json").string()}});
    EXPECT_EQ(bad.exit_code, 9) << bad.describe();
    EXPECT_EQ(split_lines(bad.out).size(), 1U) << bad.out;
}

TEST_F(UserCatalog, ValidateOfTheBuiltInSourcesIsClean) {
    ProcessResult result =
        cxrcat({"catalog", "validate", (fs::path(CXRCAT_SOURCE_DIR) / "catalog" / "datasets").string()});
    EXPECT_EQ(result.exit_code, 0) << result.describe();
    EXPECT_EQ(result.out, "");
    // Each file replaces its own built-in copy.
    EXPECT_EQ(split_lines(result.err).size(), 22U) << result.err;
}

} // namespace
} // namespace cxrcat::test
