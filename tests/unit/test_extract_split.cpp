// SPDX-License-Identifier: Apache-2.0
// extract_split_archive (parts of one archive split by bytes, read as one stream) and
// extract_archive_bytes (an archive in memory). Archives are written with libarchive's writer.
#include "cxrcat/archive/extract.hpp"
#include "cxrcat/base/digest.hpp"
#include "support/files.hpp"
#include "support/temp_dir.hpp"

#include <archive.h>
#include <archive_entry.h>
#include <gtest/gtest.h>

#include <cstddef>
#include <filesystem>
#include <memory>
#include <set>
#include <span>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace cxrcat {
namespace {

namespace fs = std::filesystem;

using Members = std::vector<std::pair<std::string, std::string>>;

struct SplitWriterFree {
    void operator()(archive* handle) const noexcept { archive_write_free(handle); }
};
struct SplitEntryFree {
    void operator()(archive_entry* entry) const noexcept { archive_entry_free(entry); }
};

void split_check(int rc, archive* handle, const char* what) {
    if (rc != ARCHIVE_OK) {
        const char* text = archive_error_string(handle);
        throw std::runtime_error(std::string(what) + ": " + (text != nullptr ? text : "?"));
    }
}

// A zip (stored or deflated) or a tar.gz of members, built in memory.
std::string build_split_test_archive(const Members& members, const std::string& kind) {
    std::size_t capacity = 1U << 16U;
    for (const auto& [name, data] : members) {
        capacity += name.size() + data.size() + 512;
    }
    std::string buffer(capacity, '\0');
    std::size_t used = 0;
    std::unique_ptr<archive, SplitWriterFree> writer(archive_write_new());
    if (kind == "tar.gz") {
        split_check(archive_write_set_format_pax_restricted(writer.get()), writer.get(), "pax");
        split_check(archive_write_add_filter_gzip(writer.get()), writer.get(), "gzip");
    } else {
        split_check(archive_write_set_format_zip(writer.get()), writer.get(), "zip");
        if (kind == "zip-stored") {
            split_check(archive_write_set_format_option(writer.get(), "zip", "compression", "store"), writer.get(),
                        "store");
        }
    }
    split_check(archive_write_open_memory(writer.get(), buffer.data(), buffer.size(), &used), writer.get(), "open");
    for (const auto& [name, data] : members) {
        std::unique_ptr<archive_entry, SplitEntryFree> entry(archive_entry_new());
        archive_entry_set_pathname(entry.get(), name.c_str());
        archive_entry_set_filetype(entry.get(), AE_IFREG);
        archive_entry_set_perm(entry.get(), 0644);
        archive_entry_set_size(entry.get(), static_cast<la_int64_t>(data.size()));
        split_check(archive_write_header(writer.get(), entry.get()), writer.get(), "header");
        if (archive_write_data(writer.get(), data.data(), data.size()) != static_cast<la_ssize_t>(data.size())) {
            throw std::runtime_error("short archive_write_data");
        }
    }
    split_check(archive_write_close(writer.get()), writer.get(), "close");
    buffer.resize(used);
    return buffer;
}

// Writes bytes as `count` parts name.001, name.002, ... (like `split -b` or 7-Zip volumes).
std::vector<fs::path> write_split_parts(const fs::path& dir, const std::string& name, const std::string& bytes,
                                        std::size_t count) {
    std::vector<fs::path> parts;
    std::size_t piece = (bytes.size() + count - 1) / count;
    for (std::size_t i = 0; i < count; ++i) {
        std::string suffix = std::to_string(i + 1);
        suffix.insert(0, 3 - suffix.size(), '0');
        fs::path part = dir / (name + "." + suffix);
        std::size_t start = std::min(bytes.size(), i * piece);
        test::write_text_file(part, bytes.substr(start, std::min(piece, bytes.size() - start)));
        parts.push_back(part);
    }
    return parts;
}

class SplitArchiveTest : public ::testing::Test {
  protected:
    void SetUp() override {
        m_members = {{"luna25_nodule_blocks/image/1.npy", test::seeded_bytes(300'000, 1)},
                     {"luna25_nodule_blocks/metadata/1.npy", test::seeded_bytes(2'000, 2)},
                     {"luna25_nodule_blocks/image/2.npy", test::seeded_bytes(250'000, 3)}};
    }

    void expect_members(const std::vector<ExtractedFile>& files) const {
        ASSERT_EQ(files.size(), m_members.size());
        for (const auto& [name, data] : m_members) {
            EXPECT_EQ(test::read_text_file(m_dest / name), data) << name;
        }
        EXPECT_EQ(files.front().path, "luna25_nodule_blocks/image/1.npy");
        EXPECT_EQ(files.front().sha256, sha256_hex(m_members[0].second));
    }

    test::TempDir m_tmp;
    fs::path m_parts_dir = m_tmp.path() / "download";
    fs::path m_dest = m_tmp.path() / "dataset";
    Members m_members;
};

TEST_F(SplitArchiveTest, AZipSplitByBytesIsExtractedAsOneArchive) {
    for (const char* kind : {"zip", "zip-stored"}) {
        SCOPED_TRACE(kind);
        fs::remove_all(m_dest);
        auto parts = write_split_parts(m_parts_dir, "blocks.zip", build_split_test_archive(m_members, kind), 4);
        auto result = extract_split_archive(parts, m_dest);
        ASSERT_TRUE(result) << result.error().message();
        expect_members(*result);
        for (const auto& part : parts) {
            EXPECT_TRUE(fs::exists(part)) << "the parts are the caller's to keep or delete";
        }
        // No joined copy was written anywhere.
        std::size_t entries = 0;
        for ([[maybe_unused]] const auto& entry : fs::directory_iterator(m_parts_dir)) {
            ++entries;
        }
        EXPECT_EQ(entries, parts.size());
    }
}

// Wherever the cuts fall — inside the central directory, its end record, a local header, or
// leaving empty parts — the parts read as the one archive. (libarchive's own multi-file reader
// failed for some of these cuts with an error that had no message.)
TEST_F(SplitArchiveTest, AZipCutAnywhereIsExtracted) {
    m_members = {{"member-of-luna25_images.txt", "inside stand-in\n"}};
    std::string whole = build_split_test_archive(m_members, "zip-stored");
    for (std::size_t count = 2; count <= 60; ++count) {
        SCOPED_TRACE(count);
        fs::remove_all(m_dest);
        fs::remove_all(m_parts_dir);
        auto parts = write_split_parts(m_parts_dir, "images.zip", whole, count);
        auto result = extract_split_archive(parts, m_dest);
        ASSERT_TRUE(result) << result.error().message();
        EXPECT_EQ(test::read_text_file(m_dest / "member-of-luna25_images.txt"), "inside stand-in\n");
    }
}

TEST_F(SplitArchiveTest, ATarGzSplitByBytesIsExtractedAsOneArchive) {
    auto parts = write_split_parts(m_parts_dir, "blocks.tar.gz", build_split_test_archive(m_members, "tar.gz"), 3);
    auto result = extract_split_archive(parts, m_dest);
    ASSERT_TRUE(result) << result.error().message();
    expect_members(*result);
}

TEST_F(SplitArchiveTest, AMissingLastPartIsAnIntegrityErrorAndInstallsNothing) {
    auto parts = write_split_parts(m_parts_dir, "blocks.zip", build_split_test_archive(m_members, "zip"), 3);
    parts.pop_back();
    auto result = extract_split_archive(parts, m_dest);
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error().code(), ErrorCode::integrity) << result.error().message();
    EXPECT_NE(result.error().message().find("cannot extract blocks.zip.001..002: "), std::string::npos)
        << result.error().message();
    EXPECT_FALSE(fs::exists(m_dest));
}

TEST_F(SplitArchiveTest, PartsInTheWrongOrderAreAnIntegrityErrorAndInstallNothing) {
    auto parts = write_split_parts(m_parts_dir, "blocks.zip", build_split_test_archive(m_members, "zip-stored"), 3);
    std::swap(parts[0], parts[1]);
    auto result = extract_split_archive(parts, m_dest);
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error().code(), ErrorCode::integrity) << result.error().message();
    EXPECT_FALSE(fs::exists(m_dest));
}

TEST_F(SplitArchiveTest, AnUnreadablePartIsALocalIoError) {
    auto parts = write_split_parts(m_parts_dir, "blocks.zip", build_split_test_archive(m_members, "zip"), 3);
    fs::remove(parts[1]);
    auto result = extract_split_archive(parts, m_dest);
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error().code(), ErrorCode::local_io) << result.error().message();
    EXPECT_NE(result.error().message().find(parts[1].string()), std::string::npos) << result.error().message();
    EXPECT_FALSE(fs::exists(m_dest));
}

TEST_F(SplitArchiveTest, AnUnsupportedZipCompressionMethodIsNamed) {
    std::string zip = build_split_test_archive(m_members, "zip-stored");
    // Method 9 (Deflate64) in every local and central header: libarchive has no decoder for it.
    for (std::size_t at = zip.find("PK\x03\x04"); at != std::string::npos; at = zip.find("PK\x03\x04", at + 4)) {
        zip[at + 8] = 9;
    }
    for (std::size_t at = zip.find("PK\x01\x02"); at != std::string::npos; at = zip.find("PK\x01\x02", at + 4)) {
        zip[at + 10] = 9;
    }
    auto parts = write_split_parts(m_parts_dir, "blocks.zip", zip, 3);
    auto result = extract_split_archive(parts, m_dest);
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error().code(), ErrorCode::integrity) << result.error().message();
    EXPECT_NE(result.error().message().find("unsupported ZIP compression method (9: deflation-64-bit) (Deflate64)"),
              std::string::npos)
        << result.error().message();
    EXPECT_FALSE(fs::exists(m_dest));
}

TEST_F(SplitArchiveTest, AnArchiveInMemoryIsExtracted) {
    std::string zip = build_split_test_archive(m_members, "zip");
    auto result = extract_archive_bytes(std::as_bytes(std::span(zip.data(), zip.size())), m_dest);
    ASSERT_TRUE(result) << result.error().message();
    expect_members(*result);
}

// drop_members (fetch --decode's per-member verdict): asked with the staged files before anything is
// published, the members it names are left out and the others installed, in a fresh destination
// and in one that already holds files.
TEST_F(SplitArchiveTest, MembersDroppedAfterStagingAreLeftOutAndTheOthersInstalled) {
    auto parts = write_split_parts(m_parts_dir, "blocks.tar.gz", build_split_test_archive(m_members, "tar.gz"), 3);
    ExtractLimits limits;
    std::size_t asked = 0;
    bool existing = false;
    limits.drop_members = [&](const fs::path& staging, const std::vector<ExtractedFile>& files) {
        EXPECT_TRUE(existing || !fs::exists(m_dest)) << "nothing is published before the verdict";
        asked = files.size();
        EXPECT_EQ(test::read_text_file(staging / files.front().path), m_members[0].second);
        return std::set<std::string>{"luna25_nodule_blocks/image/2.npy"};
    };
    for (bool again : {false, true}) {
        existing = again;
        SCOPED_TRACE(existing ? "into an existing destination" : "into a new destination");
        auto result = extract_split_archive(parts, m_dest, limits);
        ASSERT_TRUE(result) << result.error().message();
        EXPECT_EQ(asked, m_members.size());
        ASSERT_EQ(result->size(), 2U);
        EXPECT_EQ(result->front().path, "luna25_nodule_blocks/image/1.npy");
        EXPECT_EQ(result->back().path, "luna25_nodule_blocks/metadata/1.npy");
        EXPECT_EQ(test::read_text_file(m_dest / "luna25_nodule_blocks/metadata/1.npy"), m_members[1].second);
        EXPECT_FALSE(fs::exists(m_dest / "luna25_nodule_blocks/image/2.npy"));
    }
}

TEST_F(SplitArchiveTest, HostileBytesInMemoryAreRefusedByName) {
    std::string tar = build_split_test_archive({{"../escape.txt", "pwned"}}, "tar.gz");
    auto result = extract_archive_bytes(std::as_bytes(std::span(tar.data(), tar.size())), m_dest);
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error().code(), ErrorCode::integrity);
    EXPECT_NE(result.error().message().find("refusing to extract in-memory archive: entry '../escape.txt'"),
              std::string::npos)
        << result.error().message();
    EXPECT_FALSE(fs::exists(m_tmp.path() / "escape.txt"));

    std::string garbage = "not an archive at all";
    auto bad = extract_archive_bytes(std::as_bytes(std::span(garbage.data(), garbage.size())), m_dest);
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.error().code(), ErrorCode::integrity);
}

} // namespace
} // namespace cxrcat
