// SPDX-License-Identifier: Apache-2.0
// The vet hook: staged files (with MD5) are checked before anything is published; a series zip is whole.
#include "extract_fixture.hpp"
#include "fetch/series_archive.hpp"

#include <gtest/gtest.h>

namespace cxrcat::extract_test {
namespace {

// The vet hook sees every staged file (with its MD5 when asked) before anything is published.
TEST_F(ExtractTest, VetSeesStagedFilesWithMd5AndPublishesOnlyWhenItAgrees) {
    build_archive(archive("series.zip"), Format::zip,
                  {file("00000001.dcm", "first image"), file("00000002.dcm", "second image")});
    ExtractLimits limits;
    limits.member_md5 = true;
    std::vector<std::string> seen;
    limits.vet = [&](const fs::path& staging, const std::vector<ExtractedFile>& files) -> Result<void> {
        EXPECT_FALSE(fs::exists(m_dest)); // nothing published yet
        for (const auto& f : files) {
            EXPECT_EQ(read_file(staging / f.path).size(), f.size);
            seen.push_back(f.path + " " + f.md5);
        }
        return {};
    };
    auto result = extract_archive(archive("series.zip"), m_dest, limits);
    ASSERT_TRUE(result) << result.error().message();
    EXPECT_EQ(seen, (std::vector<std::string>{"00000001.dcm 4267fc8d1f686c805196d298e5f9c733",
                                              "00000002.dcm bded49eea5c99cc4c0b51e8748d9e110"}));
    EXPECT_EQ(read_file(m_dest / "00000002.dcm"), "second image");
}

// A series zip whose member does not match md5hashes.csv installs nothing (NBIA getImageWithMD5Hash).
TEST_F(ExtractTest, ASeriesZipWithAWrongMemberIsRefusedWhole) {
    std::string list = "Filename,MD5Hash\n00000002.dcm," + std::string(32, '0') + "\n00000001.dcm," +
                       "4267fc8d1f686c805196d298e5f9c733\n";
    build_archive(
        archive("bad.zip"), Format::zip,
        {file("00000001.dcm", "first image"), file("00000002.dcm", "second image"), file("md5hashes.csv", list)});
    ExtractLimits limits;
    limits.member_md5 = true;
    limits.vet = [](const fs::path& staging, const std::vector<ExtractedFile>& files) {
        return check_series_members("md5hashes.csv", staging, files, "1.2.3");
    };
    expect_refused(archive("bad.zip"), "1.2.3: member 00000002.dcm: md5 mismatch", ErrorCode::integrity, limits);

    build_archive(archive("extra.zip"), Format::zip,
                  {file("00000001.dcm", "first image"), file("stray.dcm", "x"),
                   file("md5hashes.csv", "Filename,MD5Hash\n00000001.dcm,4267fc8d1f686c805196d298e5f9c733\n")});
    expect_refused(archive("extra.zip"), "1.2.3: member stray.dcm is not listed in md5hashes.csv", ErrorCode::integrity,
                   limits);

    build_archive(archive("short.zip"), Format::zip,
                  {file("LICENSE", "CC BY 3.0\n"),
                   file("md5hashes.csv", "Filename,MD5Hash\n00000001.dcm,4267fc8d1f686c805196d298e5f9c733\n")});
    expect_refused(archive("short.zip"), "1.2.3: md5hashes.csv lists 00000001.dcm, which the series zip does not hold",
                   ErrorCode::integrity, limits);

    build_archive(archive("empty.zip"), Format::zip, {file("md5hashes.csv", "Filename,MD5Hash\n")});
    expect_refused(archive("empty.zip"),
                   "1.2.3: md5hashes.csv lists no files: the server has no images for this series",
                   ErrorCode::integrity, limits);
}

} // namespace
} // namespace cxrcat::extract_test
