// SPDX-License-Identifier: Apache-2.0
// Damaged archives (truncated, bad CRC, not an archive at all) are refused and change nothing.
#include "extract_fixture.hpp"

#include <gtest/gtest.h>

namespace cxrcat::extract_test {
namespace {

TEST_F(ExtractTest, RefusesTruncatedArchive) {
    build_archive(archive("cut.tar.gz"), Format::tar_gz,
                  {file("a.bin", test::seeded_bytes(k_quarter_mib, 4)),
                   file("b.bin", test::seeded_bytes(k_quarter_mib, 5)),
                   file("c.bin", test::seeded_bytes(k_quarter_mib, 6))});
    fs::resize_file(archive("cut.tar.gz"), fs::file_size(archive("cut.tar.gz")) / 2);

    auto result = extract_archive(archive("cut.tar.gz"), m_dest);

    ASSERT_FALSE(result.has_value());
    EXPECT_EQ(result.error().code(), ErrorCode::integrity);
    EXPECT_TRUE(result.error().message().starts_with("cannot extract cut.tar.gz: ")) << result.error().message();
    EXPECT_FALSE(fs::exists(m_dest));
    EXPECT_EQ(listing(m_root / "work"), std::set<std::string>{});
}

TEST_F(ExtractTest, RefusesTruncatedArchiveLeavingExistingDestinationUntouched) {
    build_archive(
        archive("cut.tar.gz"), Format::tar_gz,
        {file("good.txt", test::seeded_bytes(k_quarter_mib, 7)), file("b.bin", test::seeded_bytes(k_quarter_mib, 8))});
    fs::resize_file(archive("cut.tar.gz"), fs::file_size(archive("cut.tar.gz")) / 2);
    write_file(m_dest / "good.txt", "old good\n");
    Snapshot before = snapshot(m_root);

    auto result = extract_archive(archive("cut.tar.gz"), m_dest);

    ASSERT_FALSE(result.has_value());
    EXPECT_EQ(result.error().code(), ErrorCode::integrity);
    EXPECT_EQ(snapshot(m_root), before);
}

TEST_F(ExtractTest, RefusesZipWithBadCrc) {
    const std::string data = "0123456789abcdef0123456789abcdef";
    build_archive(archive("crc.zip"), Format::zip_stored, {file("good.txt", "good"), file("data.txt", data)});
    std::string bytes = read_file(archive("crc.zip"));
    auto at = bytes.find(data);
    ASSERT_NE(at, std::string::npos);
    bytes[at] = 'X';
    write_file(archive("crc.zip"), bytes);

    auto result = extract_archive(archive("crc.zip"), m_dest);

    ASSERT_FALSE(result.has_value());
    EXPECT_EQ(result.error().code(), ErrorCode::integrity);
    EXPECT_TRUE(result.error().message().starts_with("cannot extract crc.zip: entry 'data.txt': ZIP bad CRC"))
        << result.error().message();
    EXPECT_FALSE(fs::exists(m_dest));
    EXPECT_EQ(listing(m_root / "work"), std::set<std::string>{});
}

TEST_F(ExtractTest, RefusesSomethingThatIsNotAnArchive) {
    write_file(archive("login.zip"), "<!doctype html><html><body>Please log in</body></html>\n");
    auto result = extract_archive(archive("login.zip"), m_dest);
    ASSERT_FALSE(result.has_value());
    EXPECT_EQ(result.error().code(), ErrorCode::integrity);
    EXPECT_EQ(result.error().message(), "cannot extract login.zip: unrecognized archive format");
    EXPECT_EQ(listing(m_root / "work"), std::set<std::string>{});
}

} // namespace
} // namespace cxrcat::extract_test
