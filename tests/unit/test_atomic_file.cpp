// SPDX-License-Identifier: Apache-2.0
#include "cxrcat/files/atomic_file.hpp"
#include "support/files.hpp"
#include "support/temp_dir.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <sys/stat.h>
#include <vector>

namespace cxrcat {
namespace {

namespace fs = std::filesystem;

std::vector<std::string> names_in(const fs::path& dir) {
    std::vector<std::string> out;
    for (const auto& item : fs::directory_iterator(dir)) {
        out.push_back(item.path().filename().string());
    }
    std::sort(out.begin(), out.end());
    return out;
}

TEST(AtomicFile, WritesNewFile) {
    test::TempDir dir;
    ASSERT_TRUE(write_file_atomically(dir / "a.json", "{}\n").has_value());
    EXPECT_EQ(test::read_text_file(dir / "a.json"), "{}\n");
    EXPECT_EQ(names_in(dir.path()), std::vector<std::string>{"a.json"});
}

TEST(AtomicFile, ReplacesExistingFileWholly) {
    test::TempDir dir;
    test::write_text_file(dir / "a.txt", std::string(10000, 'x'));
    ASSERT_TRUE(write_file_atomically(dir / "a.txt", "short").has_value());
    EXPECT_EQ(test::read_text_file(dir / "a.txt"), "short");
    EXPECT_EQ(names_in(dir.path()), std::vector<std::string>{"a.txt"});
}

TEST(AtomicFile, ReplaceWithoutFlushStillReplacesWhollyAndLeavesNoTemporary) {
    test::TempDir dir;
    test::write_text_file(dir / "sub" / "a.part.json", std::string(10000, 'x'));
    ASSERT_TRUE(replace_file_without_flush(dir / "sub" / "a.part.json", "{\"etag\":\"1\"}\n").has_value());
    EXPECT_EQ(test::read_text_file(dir / "sub" / "a.part.json"), "{\"etag\":\"1\"}\n");
    EXPECT_EQ(names_in(dir / "sub"), std::vector<std::string>{"a.part.json"});
    ASSERT_TRUE(replace_file_without_flush(dir / "new" / "b.json", "{}").has_value()); // creates parents
    EXPECT_EQ(test::read_text_file(dir / "new" / "b.json"), "{}");
}

TEST(AtomicFile, WritesEmptyAndBinaryContent) {
    test::TempDir dir;
    ASSERT_TRUE(write_file_atomically(dir / "empty", "").has_value());
    EXPECT_EQ(fs::file_size(dir / "empty"), 0U);
    const std::string binary("\0\x01\xff\n\0", 5);
    ASSERT_TRUE(write_file_atomically(dir / "binary", binary).has_value());
    EXPECT_EQ(test::read_text_file(dir / "binary"), binary);
}

TEST(AtomicFile, WritesLargeContent) {
    test::TempDir dir;
    std::string content;
    for (int i = 0; i < 200000; ++i) {
        content += std::to_string(i) + '\n';
    }
    ASSERT_TRUE(write_file_atomically(dir / "big", content).has_value());
    EXPECT_EQ(test::read_text_file(dir / "big"), content);
}

TEST(AtomicFile, CreatesMissingParents) {
    test::TempDir dir;
    ASSERT_TRUE(write_file_atomically(dir / "x" / "y" / "z.txt", "deep").has_value());
    EXPECT_EQ(test::read_text_file(dir / "x" / "y" / "z.txt"), "deep");
}

TEST(AtomicFile, FileIsReadableByOthers) {
    test::TempDir dir;
    ASSERT_TRUE(write_file_atomically(dir / "a", "x").has_value());
    struct stat info {};
    ASSERT_EQ(::stat((dir / "a").c_str(), &info), 0);
    EXPECT_EQ(info.st_mode & 0777U, 0644U);
}

TEST(AtomicFile, ParentThatIsAFileIsALocalIoError) {
    test::TempDir dir;
    test::write_text_file(dir / "file", "x");
    auto result = write_file_atomically(dir / "file" / "a.json", "{}");
    ASSERT_FALSE(result.has_value());
    EXPECT_EQ(result.error().code(), ErrorCode::local_io);
    EXPECT_NE(result.error().message().find((dir / "file").string()), std::string::npos) << result.error().message();
    EXPECT_EQ(test::read_text_file(dir / "file"), "x");
}

TEST(AtomicFile, FailedRenameLeavesNoTemporaryFile) {
    test::TempDir dir;
    fs::create_directories(dir / "target" / "inside"); // rename(2) cannot replace a non-empty directory
    auto result = write_file_atomically(dir / "target", "content");
    ASSERT_FALSE(result.has_value());
    EXPECT_EQ(result.error().code(), ErrorCode::local_io);
    EXPECT_NE(result.error().message().find("cannot rename into place " + (dir / "target").string()), std::string::npos)
        << result.error().message();
    EXPECT_EQ(names_in(dir.path()), std::vector<std::string>{"target"});
    EXPECT_TRUE(fs::is_directory(dir / "target" / "inside"));
}

} // namespace
} // namespace cxrcat
