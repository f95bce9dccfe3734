// SPDX-License-Identifier: Apache-2.0
// Local failures while extracting (file size limit, missing archive, destination in the way).
#include "extract_fixture.hpp"

#include <gtest/gtest.h>

namespace cxrcat::extract_test {
namespace {

// ---- local failures ---------------------------------------------------------------------------

TEST_F(ExtractTest, FileSizeLimitIsALocalIoErrorAndLeavesNothing) {
    build_archive(archive("big.tar"), Format::tar,
                  {file("small.txt", "small"), file("big.bin", test::seeded_bytes(3 * k_mib, 9))});
    write_file(m_dest / "already-here.txt", "keep me\n");
    Snapshot before = snapshot(m_root);

    auto outcome = extract_in_child(archive("big.tar"), m_dest, ExtractLimits{}, k_mib);

    ASSERT_FALSE(outcome.succeeded);
    EXPECT_EQ(outcome.code, static_cast<int>(ErrorCode::local_io));
    EXPECT_TRUE(outcome.message.starts_with("cannot write " + (m_root / "work").string() + "/.dest.extract-"))
        << outcome.message;
    EXPECT_TRUE(outcome.message.ends_with("/big.bin: file too large (file size limit exceeded)")) << outcome.message;
    EXPECT_EQ(snapshot(m_root), before);
    EXPECT_EQ(listing(m_root / "work"), std::set<std::string>{"dest"});
}

TEST_F(ExtractTest, MissingArchiveIsALocalIoError) {
    auto result = extract_archive(archive("absent.tar.gz"), m_dest);
    ASSERT_FALSE(result.has_value());
    EXPECT_EQ(result.error().code(), ErrorCode::local_io);
    EXPECT_EQ(result.error().message(),
              "cannot read archive " + archive("absent.tar.gz").string() + ": no such file or directory");
    EXPECT_EQ(listing(m_root / "work"), std::set<std::string>{});
}

TEST_F(ExtractTest, DestinationThatIsAFileIsALocalIoError) {
    build_archive(archive("ok.tar"), Format::tar, {file("a.txt", "a")});
    write_file(m_dest, "I am a file\n");
    auto result = extract_archive(archive("ok.tar"), m_dest);
    ASSERT_FALSE(result.has_value());
    EXPECT_EQ(result.error().code(), ErrorCode::local_io);
    EXPECT_EQ(result.error().message(), "cannot extract into " + m_dest.string() + ": not a directory");
    EXPECT_EQ(listing(m_root / "work"), std::set<std::string>{"dest"});
}

TEST_F(ExtractTest, DirectoryInTheWayOfAFileIsRefusedBeforeAnythingMoves) {
    fs::create_directories(m_dest / "b.txt");
    build_archive(archive("clash.tar"), Format::tar, {file("a.txt", "a"), file("b.txt", "b")});
    Snapshot before = snapshot(m_root);

    auto result = extract_archive(archive("clash.tar"), m_dest);

    ASSERT_FALSE(result.has_value());
    EXPECT_EQ(result.error().code(), ErrorCode::local_io);
    EXPECT_EQ(result.error().message(), "cannot install clash.tar: " + (m_dest / "b.txt").string() +
                                            " is a directory, the archive has a file there");
    EXPECT_EQ(snapshot(m_root), before);
}

} // namespace
} // namespace cxrcat::extract_test
