// SPDX-License-Identifier: Apache-2.0
#include "providers/parsers.hpp"
#include "providers/sha256sums.hpp"

#include <gtest/gtest.h>

namespace cxrcat::providers {
namespace {

TEST(SafeRelativePath, AcceptsPlainRelativePaths) {
    EXPECT_TRUE(is_safe_relative_path("files/p10/p10000032/s50414267/02aa804e.dcm"));
    EXPECT_TRUE(is_safe_relative_path("README"));
    EXPECT_TRUE(is_safe_relative_path("dir/..name/x..y"));
}

TEST(SafeRelativePath, RefusesWhatLeavesTheDirectory) {
    for (const char* path : {"", "/etc/passwd", "../x", "a/../../x", "a//b", "a/./b", "a/", "a\\..\\b"}) {
        EXPECT_FALSE(is_safe_relative_path(path)) << path;
    }
}

// Found by fuzzing (tests/fuzz/regressions/sha256sums): a CR inside a SHA256SUMS.txt path was
// accepted, and so was a terminal escape sequence; a server's file name is printed, so neither may pass.
TEST(SafeRelativePath, RefusesControlCharacters) {
    EXPECT_FALSE(is_safe_relative_path("02aa804e.\rdcm"));
    EXPECT_FALSE(is_safe_relative_path("\x1b]0;title\x07x"));
    EXPECT_FALSE(is_safe_relative_path(std::string_view("a\0b", 3)));
    EXPECT_FALSE(is_safe_relative_path("tab\there"));
    EXPECT_FALSE(is_safe_relative_path("del\x7f"));
}

TEST(SafeRelativePath, Sha256SumsRefusesAControlCharacterWithoutEchoingIt) {
    auto entries = parse_sha256sums(std::string(64, 'a') + " a\x1b[2Jb\n");
    ASSERT_FALSE(entries.has_value());
    EXPECT_EQ(entries.error().message().find('\x1b'), std::string::npos) << entries.error().message();
    EXPECT_NE(entries.error().message().find("line 1: refusing the path"), std::string::npos);
}

} // namespace
} // namespace cxrcat::providers
