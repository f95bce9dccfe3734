// SPDX-License-Identifier: Apache-2.0
// extract_archive's limits: compression bombs, sparse holes, the declared size, the caps.
#include "extract_fixture.hpp"

#include <gtest/gtest.h>

namespace cxrcat::extract_test {
namespace {

// What a refusal by the ratio adds: the two ways to let an honest, very compressible archive through.
const std::string k_ratio_advice = "; if it is legitimately this compressible (sparse masks), declare its "
                                   "extracted_size in the catalog or rerun with --max-expansion RATIO";

TEST_F(ExtractTest, RefusesCompressionBombWhileStreaming) {
    const std::uint64_t bomb_size = 200 * std::uint64_t{k_mib};
    {
        ArchiveBuilder builder(archive("bomb.tar.gz"), Format::tar_gz);
        builder.add(file("good.txt", "good"));
        builder.add_zeros("zeros.bin", bomb_size);
        builder.close();
    }
    const auto archive_size = fs::file_size(archive("bomb.tar.gz"));
    ASSERT_LT(archive_size * 100, bomb_size) << "the archive must compress well enough to be a bomb";
    write_file(m_dest / "already-here.txt", "keep me\n");
    Snapshot before = snapshot(m_root);

    // 64 MiB per file is far above the 100x budget and far below the bomb: had the whole entry
    // been written first, the child would fail with a write error instead of a refusal.
    auto outcome = extract_in_child(archive("bomb.tar.gz"), m_dest, ExtractLimits{}, 64 * k_mib);

    ASSERT_FALSE(outcome.succeeded);
    EXPECT_EQ(outcome.code, static_cast<int>(ErrorCode::integrity));
    EXPECT_EQ(outcome.message, "refusing to extract bomb.tar.gz: output exceeds " + std::to_string(archive_size * 100) +
                                   " bytes (100 times the archive's " + std::to_string(archive_size) +
                                   " bytes) at entry 'zeros.bin'; it looks like a compression bomb" + k_ratio_advice);
    EXPECT_LT(outcome.rss_growth_kib, 64 * 1024) << "extraction must stream, not buffer";
    EXPECT_EQ(snapshot(m_root), before);
    EXPECT_EQ(listing(m_root / "work"), std::set<std::string>{"dest"});
}

TEST_F(ExtractTest, RefusesSparseFileWhoseHolesExceedTheBudget) {
    {
        ArchiveBuilder builder(archive("holes.tar"), Format::tar);
        builder.add(file("good.txt", "good"));
        builder.add_sparse("holes.img", 60 * std::uint64_t{k_mib}, {{0, test::seeded_bytes(4096, 12)}});
        builder.close();
    }
    const auto archive_size = fs::file_size(archive("holes.tar"));
    ASSERT_LT(archive_size * 100, 60 * std::uint64_t{k_mib});
    expect_refused(archive("holes.tar"),
                   "refusing to extract holes.tar: output exceeds " + std::to_string(archive_size * 100) +
                       " bytes (100 times the archive's " + std::to_string(archive_size) +
                       " bytes) at entry 'holes.img'; it looks like a compression bomb" + k_ratio_advice);
}

// Sparse masks pass the ratio honestly: a declared extracted size holds the output to that size
// (plus 1% and 1 MiB) instead.
TEST_F(ExtractTest, DeclaredExtractedSizeReplacesTheRatio) {
    {
        ArchiveBuilder builder(archive("mask.tar"), Format::tar);
        builder.add_sparse("mask.img", 60 * std::uint64_t{k_mib}, {{0, test::seeded_bytes(4096, 13)}});
        builder.close();
    }
    ExtractLimits limits;
    limits.declared_output_bytes = 60 * std::uint64_t{k_mib};
    auto result = extract_archive(archive("mask.tar"), m_dest, limits);
    ASSERT_TRUE(result) << result.error().message();
    EXPECT_EQ(fs::file_size(m_dest / "mask.img"), 60 * std::uint64_t{k_mib});

    limits.declared_output_bytes = 8 * std::uint64_t{k_mib};
    std::uint64_t allowed = declared_output_allowance(8 * std::uint64_t{k_mib});
    EXPECT_EQ(allowed, 8 * std::uint64_t{k_mib} + 8 * std::uint64_t{k_mib} / 100 + k_mib);
    expect_refused(archive("mask.tar"),
                   "refusing to extract mask.tar: output exceeds " + std::to_string(allowed) +
                       " bytes (the declared extracted size of " + std::to_string(8 * std::uint64_t{k_mib}) +
                       " bytes plus a margin) at entry 'mask.img'; it looks like a compression bomb",
                   ErrorCode::integrity, limits);
}

TEST_F(ExtractTest, RefusesOutputBeyondTheAbsoluteCap) {
    build_archive(archive("three.tar"), Format::tar,
                  {file("a.txt", std::string(1000, 'a')), file("b.txt", std::string(1000, 'b')),
                   file("c.txt", std::string(1000, 'c'))});
    ExtractLimits limits;
    limits.max_output_bytes = 2500;
    expect_refused(archive("three.tar"),
                   "refusing to extract three.tar: output exceeds 2500 bytes (the output limit) at entry 'c.txt'; "
                   "it looks like a compression bomb",
                   ErrorCode::integrity, limits);
}

TEST_F(ExtractTest, RefusesTooManyEntries) {
    build_archive(archive("many.tar"), Format::tar,
                  {file("1", "1"), file("2", "2"), file("3", "3"), file("4", "4"), file("5", "5")});
    ExtractLimits limits;
    limits.max_entries = 4;
    expect_refused(archive("many.tar"), "refusing to extract many.tar: it has more than 4 entries",
                   ErrorCode::integrity, limits);
}

} // namespace
} // namespace cxrcat::extract_test
