// SPDX-License-Identifier: Apache-2.0
#include "cxrcat/base/error.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <utility>
#include <vector>

namespace cxrcat {
namespace {

// The documented exit-code table; the numbers are a public contract and must never change.
const std::vector<std::pair<ErrorCode, int>> k_table{
    {ErrorCode::ok, 0},
    {ErrorCode::internal, 1},
    {ErrorCode::usage, 2},
    {ErrorCode::not_found, 3},
    {ErrorCode::access_denied, 4},
    {ErrorCode::integrity, 5},
    {ErrorCode::network, 6},
    {ErrorCode::manual_step, 7},
    {ErrorCode::local_io, 8},
    {ErrorCode::invalid_catalog, 9},
};

TEST(ErrorCode, MapsOneToOneOntoDocumentedExitCodes) {
    std::set<int> seen;
    for (const auto& [code, expected] : k_table) {
        EXPECT_EQ(exit_code(code), expected) << describe(code);
        EXPECT_TRUE(seen.insert(exit_code(code)).second) << "exit code used twice: " << expected;
    }
    EXPECT_EQ(seen.size(), 10U);
}

TEST(ErrorCode, ExitCodeIsUsableAtCompileTime) {
    static_assert(exit_code(ErrorCode::invalid_catalog) == 9);
    static_assert(exit_code(ErrorCode::usage) == 2);
    SUCCEED();
}

TEST(ErrorCode, DescribeGivesTheDocumentedNames) {
    EXPECT_EQ(describe(ErrorCode::ok), "success");
    EXPECT_EQ(describe(ErrorCode::internal), "internal error");
    EXPECT_EQ(describe(ErrorCode::usage), "usage error");
    EXPECT_EQ(describe(ErrorCode::not_found), "unknown dataset or file");
    EXPECT_EQ(describe(ErrorCode::access_denied), "access not granted");
    EXPECT_EQ(describe(ErrorCode::integrity), "integrity failure");
    EXPECT_EQ(describe(ErrorCode::network), "network failure");
    EXPECT_EQ(describe(ErrorCode::manual_step), "manual step needed");
    EXPECT_EQ(describe(ErrorCode::local_io), "local I/O failure");
    EXPECT_EQ(describe(ErrorCode::invalid_catalog), "invalid catalog");
}

TEST(ErrorCode, DescriptionsAreDistinctAndFollowTheMessageStyle) {
    std::set<std::string> seen;
    for (const auto& [code, number] : k_table) {
        std::string text(describe(code));
        ASSERT_FALSE(text.empty()) << number;
        EXPECT_NE(text.back(), '.') << text;
        EXPECT_FALSE(text.front() >= 'A' && text.front() <= 'Z') << text;
        EXPECT_TRUE(seen.insert(text).second) << "described twice: " << text;
    }
}

TEST(Error, KeepsCodeMessageAndNotesInOrder) {
    Error error(ErrorCode::integrity, "luna16: subset3.zip: md5 mismatch", {"expected abc"});
    error.note("actual def").note("nothing was installed; rerun to resume");
    EXPECT_EQ(error.code(), ErrorCode::integrity);
    EXPECT_EQ(error.message(), "luna16: subset3.zip: md5 mismatch");
    EXPECT_EQ(error.notes(),
              (std::vector<std::string>{"expected abc", "actual def", "nothing was installed; rerun to resume"}));
}

} // namespace
} // namespace cxrcat
