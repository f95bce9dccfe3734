// SPDX-License-Identifier: Apache-2.0
#include "cxrcat/plan/manifest.hpp"

#include <gtest/gtest.h>

namespace cxrcat {
namespace {

TEST(ManifestText, ReadsEntriesWithTheirSelection) {
    auto manifest = parse_manifest(
        R"({"datasets": [{"id": "montgomery"}, {"id": "luna16", "include": ["subset0/*"], "extract": false}]})",
        "/p/cxrcat.json");
    ASSERT_TRUE(manifest.has_value()) << manifest.error().message();
    ASSERT_EQ(manifest->datasets.size(), 2U);
    EXPECT_EQ(manifest->datasets[1].include, std::vector<std::string>{"subset0/*"});
    EXPECT_EQ(manifest->datasets[1].extract, false);
    EXPECT_EQ(manifest->lock_path(), "/p/cxrcat.lock");
}

// Found by fuzzing (tests/fuzz/regressions/manifest): a number too large for a double made nlohmann
// throw out_of_range, which only a parse_error catch let through and ended the process.
TEST(ManifestText, ANumberTooLargeIsAnInvalidManifest) {
    auto manifest = parse_manifest(R"({"datasets": [{"id": "x", "n": 6e6666}]})", "/p/cxrcat.json");
    ASSERT_FALSE(manifest.has_value());
    EXPECT_EQ(manifest.error().code(), ErrorCode::invalid_catalog);
    EXPECT_NE(manifest.error().message().find("number overflow"), std::string::npos) << manifest.error().message();
}

TEST(ManifestText, NamesEveryProblem) {
    auto manifest =
        parse_manifest(R"({"datasets": [{"id": ""}, {"id": "x", "include": "a", "extract": 1}]})", "/p/cxrcat.json");
    ASSERT_FALSE(manifest.has_value());
    EXPECT_EQ(manifest.error().code(), ErrorCode::invalid_catalog);
    EXPECT_EQ(manifest.error().notes().size(), 3U);
}

} // namespace
} // namespace cxrcat
