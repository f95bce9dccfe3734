// SPDX-License-Identifier: Apache-2.0
// Every exit code the foundation can produce today, each with its one clear message on stderr.
#include "cli_test.hpp"

#include <unistd.h>

namespace cxrcat::test {
namespace {

using ExitCodes = CliTest;

TEST_F(ExitCodes, SuccessIsZeroWithNothingOnStderr) {
    ProcessResult result = cxrcat({"list", "--format", "ids"});
    EXPECT_EQ(result.exit_code, 0) << result.describe();
    EXPECT_EQ(result.err, "");
}

TEST_F(ExitCodes, BadModalityIsAUsageErrorListingValidValues) {
    ProcessResult result = cxrcat({"list", "--modality", "xray"});
    EXPECT_EQ(result.exit_code, 2) << result.describe();
    EXPECT_EQ(result.out, "");
    EXPECT_TRUE(contains(result.err, "cxrcat: error: ")) << result.err;
    EXPECT_TRUE(contains(result.err, "xray")) << result.err;
    for (const char* valid : {"cxr", "ct", "mri"}) {
        EXPECT_TRUE(contains(result.err, valid)) << valid << " missing from: " << result.err;
    }
}

TEST_F(ExitCodes, OtherBadEnumValuesAreUsageErrors) {
    for (const std::vector<std::string>& args : std::vector<std::vector<std::string>>{
             {"list", "--category", "rare"},
             {"list", "--access", "free"},
             {"list", "--sort", "colour"},
             {"list", "--format", "yaml"},
             {"show", "jsrt", "--format", "yaml"},
             {"cite", "jsrt", "--format", "ris"},
             {"accept", "--list", "--format", "csv"},
         }) {
        ProcessResult result = cxrcat(args);
        EXPECT_EQ(result.exit_code, 2) << args[1] << " " << args.back() << "\n" << result.describe();
        EXPECT_TRUE(contains(result.err, args.back())) << result.err;
        EXPECT_EQ(result.out, "");
    }
}

TEST_F(ExitCodes, NoSubcommandIsAUsageError) {
    ProcessResult result = cxrcat({});
    EXPECT_EQ(result.exit_code, 2) << result.describe();
    EXPECT_TRUE(contains(result.err, "cxrcat: error: ")) << result.err;
    EXPECT_TRUE(contains(result.err, "--help")) << result.err;
    EXPECT_EQ(result.out, "");
}

TEST_F(ExitCodes, UnknownOptionIsAUsageError) {
    ProcessResult result = cxrcat({"list", "--bogus"});
    EXPECT_EQ(result.exit_code, 2) << result.describe();
    EXPECT_TRUE(contains(result.err, "--bogus")) << result.err;
    EXPECT_EQ(result.out, "");
}

TEST_F(ExitCodes, UnknownSubcommandAndMissingArgumentsAreUsageErrors) {
    for (const std::vector<std::string>& args : std::vector<std::vector<std::string>>{
             {"frobnicate"}, {"show"}, {"terms"}, {"cite"}, {"path"}, {"search"}, {"catalog"}, {"accept"}}) {
        ProcessResult result = cxrcat(args);
        EXPECT_EQ(result.exit_code, 2) << args[0] << "\n" << result.describe();
        EXPECT_TRUE(contains(result.err, "cxrcat: error: ")) << result.err;
    }
}

TEST_F(ExitCodes, UnknownIdIsThreeWithASuggestion) {
    ProcessResult result = cxrcat({"show", "jsr"});
    EXPECT_EQ(result.exit_code, 3) << result.describe();
    EXPECT_EQ(result.out, "");
    EXPECT_TRUE(contains(result.err, "cxrcat: error: unknown dataset 'jsr'")) << result.err;
    EXPECT_TRUE(contains(result.err, "note: did you mean: jsrt?")) << result.err;
}

TEST_F(ExitCodes, EveryCommandTakingAnIdSaysUnknownWithThree) {
    for (const std::string command : {"show", "terms", "cite", "path", "accept"}) {
        ProcessResult result = cxrcat({command, "lunna16"});
        EXPECT_EQ(result.exit_code, 3) << command << "\n" << result.describe();
        EXPECT_TRUE(contains(result.err, "did you mean: luna16")) << command << ": " << result.err;
    }
}

TEST_F(ExitCodes, UnknownIdFarFromEverythingHasNoSuggestion) {
    ProcessResult result = cxrcat({"show", "mammography-screening-archive"});
    EXPECT_EQ(result.exit_code, 3) << result.describe();
    EXPECT_FALSE(contains(result.err, "did you mean")) << result.err;
    EXPECT_TRUE(contains(result.err, "cxrcat list --format ids")) << result.err;
}

TEST_F(ExitCodes, AcceptWithATypoAcceptsNothing) {
    ProcessResult result = cxrcat({"accept", "jsrt", "lunna16"});
    EXPECT_EQ(result.exit_code, 3) << result.describe();
    EXPECT_FALSE(fs::exists(ledger_file()));
}

TEST_F(ExitCodes, InvalidCatalogViaOptionIsNine) {
    ProcessResult result = cxrcat({"--catalog", fixture("catalogs/invalid/02-entries.json").string(), "list"});
    EXPECT_EQ(result.exit_code, 9) << result.describe();
    EXPECT_EQ(result.out, "");
    EXPECT_TRUE(contains(result.err, "cxrcat: error: the catalog is invalid (10 problems)")) << result.err;
    EXPECT_TRUE(
        contains(result.err, "note: " + fixture("catalogs/invalid/02-entries.json").string() +
                                 ": /datasets/2/modality: unknown value \"xray\"; expected one of: cxr, ct, mri"))
        << result.err;
    EXPECT_TRUE(contains(result.err, "cxrcat catalog validate")) << result.err;
}

TEST_F(ExitCodes, InvalidCatalogViaEnvironmentIsNine) {
    const fs::path bad = fixture("catalogs/invalid/01-syntax.json");
    ProcessResult result = cxrcat({"show", "jsrt"}, {{"CXRCAT_CATALOG", bad.string()}});
    EXPECT_EQ(result.exit_code, 9) << result.describe();
    EXPECT_EQ(result.out, "");
    EXPECT_TRUE(contains(result.err, "cxrcat: error: the catalog is invalid (1 problem)")) << result.err;
    EXPECT_TRUE(contains(result.err, "note: " + bad.string() + ": /: JSON syntax error at line 4, column 12"))
        << result.err;
}

TEST_F(ExitCodes, NonexistentCatalogPathInEnvironmentIsNine) {
    const fs::path missing = m_dir / "nowhere" / "lab.json";
    for (const std::vector<std::string>& args : std::vector<std::vector<std::string>>{
             {"list"}, {"show", "jsrt"}, {"search", "nodule"}, {"accept", "--list"}}) {
        ProcessResult result = cxrcat(args, {{"CXRCAT_CATALOG", missing.string()}});
        EXPECT_EQ(result.exit_code, 9) << args[0] << "\n" << result.describe();
        EXPECT_TRUE(contains(result.err, missing.string() + ": /: catalog path does not exist or cannot be read"))
            << result.err;
    }
}

TEST_F(ExitCodes, UnreadableCatalogPathInEnvironmentIsNine) {
    // A path through a regular file cannot be read by anyone, root included.
    write_text_file(m_dir / "plain-file", "x");
    const fs::path unreachable = m_dir / "plain-file" / "lab.json";
    ProcessResult result = cxrcat({"list"}, {{"CXRCAT_CATALOG", "::" + unreachable.string() + ":"}});
    EXPECT_EQ(result.exit_code, 9) << result.describe();
    EXPECT_TRUE(contains(result.err, unreachable.string() + ": /: catalog path does not exist or cannot be read: Not a "
                                                            "directory"))
        << result.err;
}

TEST_F(ExitCodes, UnreadableCatalogFileIsNineForNonRootUsers) {
    if (::geteuid() == 0) {
        GTEST_SKIP() << "root reads files whatever their mode; UnreadableCatalogPathInEnvironmentIsNine covers it";
    }
    fs::copy_file(fixture("catalogs/minimal/lab-cxr.json"), m_dir / "lab.json");
    fs::permissions(m_dir / "lab.json", fs::perms::none);
    ProcessResult result = cxrcat({"list"}, {{"CXRCAT_CATALOG", (m_dir / "lab.json").string()}});
    EXPECT_EQ(result.exit_code, 9) << result.describe();
    EXPECT_TRUE(
        contains(result.err, (m_dir / "lab.json").string() + ": /: cannot read catalog file: Permission denied"))
        << result.err;
}

TEST_F(ExitCodes, LedgerThatCannotBeWrittenIsALocalIoError) {
    write_text_file(m_dir / "config-file", "x");
    ProcessResult result = cxrcat({"accept", "jsrt"}, {{"XDG_CONFIG_HOME", (m_dir / "config-file").string()}});
    EXPECT_EQ(result.exit_code, 8) << result.describe();
    EXPECT_TRUE(contains(result.err, "cxrcat: error: cannot create directory " + (m_dir / "config-file").string()))
        << result.err;
    EXPECT_FALSE(contains(result.out, "accepted the terms")) << result.out;
}

} // namespace
} // namespace cxrcat::test
