// SPDX-License-Identifier: Apache-2.0
// extract_archive: the archive formats and entry kinds that must extract, and what they install.
#include "extract_fixture.hpp"

#include <gtest/gtest.h>

namespace cxrcat::extract_test {
namespace {

// ---- archives that must extract ---------------------------------------------------------------

TEST_F(ExtractTest, TarGzWithNestedDirectoriesExtractsContentsSizesAndDigests) {
    const std::string big = test::seeded_bytes(3 * k_mib + 12345, 1); // several 1 MiB write buffers
    const std::string png = std::string("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16) + test::seeded_bytes(5000, 2);
    const std::vector<EntrySpec> specs = {
        dir("images/"),
        dir("images/train/"),
        file("images/train/a.png", png),
        file("images/train/b.png", "bbbb"),
        file("images/test/c.bin", big), // its directory has no entry of its own
        file("readme.txt", "hello\n"),
        file("empty.txt", ""),
        file("scripts/run.sh", "#!/bin/sh\necho hi\n", 04755), // setuid must not survive
        file("private.txt", "secret-ish\n", 0600),             // nor narrower modes
        file("deep/x/y/z/leaf.txt", "leaf"),
        file("./dot/slash//name.txt", "normalised"),
        symlink("images/latest", "train/a.png"),
        symlink("images/train/up", "../test/c.bin"),
        hardlink("readme-copy.txt", "readme.txt"),
        file("donn\xc3\xa9"
             "es/r\xc3\xa9sum\xc3\xa9.txt",
             "utf-8 name"),
    };
    build_archive(archive("images.tar.gz"), Format::tar_gz, specs);

    auto result = extract_archive(archive("images.tar.gz"), m_dest);

    ASSERT_TRUE(result.has_value()) << result.error().message();
    std::vector<ExtractedFile> expected = {
        {"deep/x/y/z/leaf.txt", 4, sha256_hex("leaf")},
        {"donn\xc3\xa9"
         "es/r\xc3\xa9sum\xc3\xa9.txt",
         10, sha256_hex("utf-8 name")},
        {"dot/slash/name.txt", 10, sha256_hex("normalised")},
        {"empty.txt", 0, sha256_hex("")},
        {"images/test/c.bin", big.size(), sha256_hex(big)},
        {"images/train/a.png", png.size(), sha256_hex(png)},
        {"images/train/b.png", 4, sha256_hex("bbbb")},
        {"private.txt", 11, sha256_hex("secret-ish\n")},
        {"readme-copy.txt", 6, sha256_hex("hello\n")},
        {"readme.txt", 6, sha256_hex("hello\n")},
        {"scripts/run.sh", 18, sha256_hex("#!/bin/sh\necho hi\n")},
    };
    ASSERT_EQ(result->size(), expected.size());
    for (std::size_t i = 0; i < expected.size(); ++i) {
        SCOPED_TRACE(expected[i].path);
        EXPECT_EQ((*result)[i].path, expected[i].path);
        EXPECT_EQ((*result)[i].size, expected[i].size);
        EXPECT_EQ((*result)[i].sha256, expected[i].sha256);
        EXPECT_EQ(sha256_hex(read_file(m_dest / expected[i].path)), expected[i].sha256);
        EXPECT_EQ(fs::file_size(m_dest / expected[i].path), expected[i].size);
    }
    EXPECT_EQ(read_file(m_dest / "images/test/c.bin"), big);
    EXPECT_EQ(mode_of(m_dest / "scripts/run.sh"), 0755U);
    EXPECT_EQ(mode_of(m_dest / "private.txt"), 0644U);
    EXPECT_EQ(mode_of(m_dest / "readme.txt"), 0644U);
    EXPECT_EQ(mode_of(m_dest), 0755U);
    EXPECT_EQ(mode_of(m_dest / "images/test"), 0755U);
    EXPECT_EQ(mode_of(m_dest / "deep/x/y"), 0755U);
    EXPECT_EQ(fs::read_symlink(m_dest / "images/latest"), "train/a.png");
    EXPECT_EQ(read_file(m_dest / "images/train/up"), big);
    EXPECT_EQ(inode_of(m_dest / "readme-copy.txt"), inode_of(m_dest / "readme.txt"));
    EXPECT_EQ(listing(m_root / "work"), std::set<std::string>{"dest"}) << "staging left behind";
}

TEST_F(ExtractTest, ZipExtracts) {
    const std::string data = test::seeded_bytes(2 * k_mib, 3);
    build_archive(archive("subset0.zip"), Format::zip,
                  {dir("subset0/"), file("subset0/1.mhd", "ObjectType = Image\n"), file("subset0/1.raw", data),
                   file("subset0/tools/convert", "#!/bin/sh\n", 0755), symlink("subset0/current.raw", "1.raw")});

    auto result = extract_archive(archive("subset0.zip"), m_dest);

    ASSERT_TRUE(result.has_value()) << result.error().message();
    ASSERT_EQ(result->size(), 3U);
    EXPECT_EQ((*result)[0].path, "subset0/1.mhd");
    EXPECT_EQ((*result)[1].path, "subset0/1.raw");
    EXPECT_EQ((*result)[1].size, data.size());
    EXPECT_EQ((*result)[1].sha256, sha256_hex(data));
    EXPECT_EQ((*result)[2].path, "subset0/tools/convert");
    EXPECT_EQ(read_file(m_dest / "subset0/1.raw"), data);
    EXPECT_EQ(read_file(m_dest / "subset0/1.mhd"), "ObjectType = Image\n");
    EXPECT_EQ(mode_of(m_dest / "subset0/tools/convert"), 0755U);
    EXPECT_EQ(fs::read_symlink(m_dest / "subset0/current.raw"), "1.raw");
    EXPECT_EQ(listing(m_root / "work"), std::set<std::string>{"dest"});
}

TEST_F(ExtractTest, ExistingDestinationFilesAreReplacedByRename) {
    write_file(m_dest / "a.txt", "old a\n");
    write_file(m_dest / "keep.txt", "not in the archive\n");
    write_file(m_dest / "sub/b.txt", "old b\n");
    std::ifstream old_a(m_dest / "a.txt", std::ios::binary); // still sees the old inode afterwards
    ino_t old_inode = inode_of(m_dest / "a.txt");
    build_archive(archive("update.tar"), Format::tar,
                  {file("a.txt", "new a\n"), file("sub/b.txt", "new b\n"), file("sub/c.txt", "new c\n"),
                   file("fresh/d.txt", "new d\n")});

    auto result = extract_archive(archive("update.tar"), m_dest);

    ASSERT_TRUE(result.has_value()) << result.error().message();
    ASSERT_EQ(result->size(), 4U);
    EXPECT_EQ(read_file(m_dest / "a.txt"), "new a\n");
    EXPECT_EQ(read_file(m_dest / "sub/b.txt"), "new b\n");
    EXPECT_EQ(read_file(m_dest / "sub/c.txt"), "new c\n");
    EXPECT_EQ(read_file(m_dest / "fresh/d.txt"), "new d\n");
    EXPECT_EQ(read_file(m_dest / "keep.txt"), "not in the archive\n");
    EXPECT_NE(inode_of(m_dest / "a.txt"), old_inode);
    std::ostringstream seen;
    seen << old_a.rdbuf();
    EXPECT_EQ(seen.str(), "old a\n");
    EXPECT_EQ(listing(m_root / "work"), std::set<std::string>{"dest"});
}

TEST_F(ExtractTest, LaterDuplicateEntryWins) {
    build_archive(archive("dup.tar"), Format::tar,
                  {file("a.txt", "first"), hardlink("b.txt", "a.txt"), file("a.txt", "second")});

    auto result = extract_archive(archive("dup.tar"), m_dest);

    ASSERT_TRUE(result.has_value()) << result.error().message();
    ASSERT_EQ(result->size(), 2U);
    EXPECT_EQ((*result)[0].sha256, sha256_hex("second"));
    EXPECT_EQ((*result)[1].sha256, sha256_hex("first")); // b.txt kept the first inode
    EXPECT_EQ(read_file(m_dest / "a.txt"), "second");
    EXPECT_EQ(read_file(m_dest / "b.txt"), "first");
}

TEST_F(ExtractTest, SparseFileHolesBecomeZeros) {
    const std::uint64_t size = 5 * std::uint64_t{k_mib} + 1000; // ends in a hole
    const std::string head = test::seeded_bytes(4096, 10);
    const std::string middle = test::seeded_bytes(8192, 11);
    {
        ArchiveBuilder builder(archive("sparse.tar"), Format::tar);
        builder.add_sparse("disk.img", size, {{0, head}, {3 * std::uint64_t{k_mib}, middle}});
        builder.close();
    }
    ASSERT_LT(fs::file_size(archive("sparse.tar")), std::uintmax_t{k_mib}) << "the writer did not store holes";
    std::string expected(size, '\0');
    expected.replace(0, head.size(), head);
    expected.replace(3 * k_mib, middle.size(), middle);

    ExtractLimits limits;
    limits.max_ratio = 1000.0; // holes are output too: 5 MiB from a few KiB of archive
    auto result = extract_archive(archive("sparse.tar"), m_dest, limits);

    ASSERT_TRUE(result.has_value()) << result.error().message();
    ASSERT_EQ(result->size(), 1U);
    EXPECT_EQ((*result)[0].size, size);
    EXPECT_EQ((*result)[0].sha256, sha256_hex(expected));
    EXPECT_TRUE(read_file(m_dest / "disk.img") == expected);
}

} // namespace
} // namespace cxrcat::extract_test
