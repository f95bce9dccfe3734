// SPDX-License-Identifier: Apache-2.0
// A zip of segmentation masks (mostly zeros, so far more than 100 times compressible) is an honest
// archive: declared in the catalog (`extracted_size`) or allowed by --max-expansion it extracts;
// undeclared it is refused as a compression bomb, and the refusal names both ways out.
#include "archive_builder.hpp"
#include "cxrcat/base/digest.hpp"
#include "integration_test.hpp"

namespace cxrcat::test {
namespace {

constexpr std::size_t k_side = 128; // a 128³ uint8 label volume (2 MiB), like a nodule mask
constexpr std::size_t k_masks = 4;

// A mask volume: zeros but for one solid cube of label 1 (a lesion), at a place per mask.
std::string sparse_mask(std::size_t index) {
    std::string volume(k_side * k_side * k_side, '\0');
    std::size_t corner = 10 + index * 20;
    for (std::size_t z = corner; z < corner + 12; ++z) {
        for (std::size_t y = corner; y < corner + 12; ++y) {
            for (std::size_t x = corner; x < corner + 12; ++x) {
                volume[(z * k_side + y) * k_side + x] = '\1';
            }
        }
    }
    return volume;
}

class SparseMasks : public IntegrationTest {
  protected:
    // Builds masks.zip (deflate, written by libarchive), serves it and writes the catalog;
    // declared: whether the catalog states the extracted size. Returns the archive's size.
    std::uint64_t serve_masks(bool declared) {
        std::vector<ArchiveEntry> entries;
        std::uint64_t total = 0;
        for (std::size_t i = 0; i < k_masks; ++i) {
            entries.push_back(entry_file("masks/mask_" + std::to_string(i) + ".raw", sparse_mask(i)));
            total += entries.back().data.size();
        }
        fs::path archive = m_dir / "build" / "masks.zip";
        fs::create_directories(archive.parent_path());
        build_archive(archive, ArchiveFormat::zip, entries);
        std::string bytes = read_text_file(archive);
        serve("masks.zip", bytes);
        CatalogFile file{"masks.zip", nginx_url("files", "masks.zip"), bytes.size(), sha256_hex(bytes), true};
        if (declared) {
            file.extracted_size = total;
        }
        write_catalog({file});
        EXPECT_EQ(cxrcat({"accept", "t1"}).exit_code, 0);
        return bytes.size();
    }

    void expect_masks_installed() {
        for (std::size_t i = 0; i < k_masks; ++i) {
            fs::path mask = installed("masks/mask_" + std::to_string(i) + ".raw");
            ASSERT_TRUE(fs::exists(mask)) << mask;
            EXPECT_EQ(read_text_file(mask), sparse_mask(i));
        }
    }
};

TEST_F(SparseMasks, DeclaredExtractedSizeExtracts) {
    std::uint64_t archive_size = serve_masks(true);
    ASSERT_GT(k_masks * k_side * k_side * k_side, 100 * archive_size) << "the fixture must pass the 100x ratio";
    auto result = cxrcat({"fetch", "t1"});
    ASSERT_EQ(result.exit_code, 0) << result.describe();
    expect_masks_installed();
}

TEST_F(SparseMasks, UndeclaredIsRefusedNamingTheWaysOut) {
    serve_masks(false);
    auto result = cxrcat({"fetch", "t1"});
    EXPECT_EQ(result.exit_code, 5) << result.describe();
    EXPECT_THAT(result.err, HasSubstr("100 times the archive")) << result.describe();
    EXPECT_THAT(result.err, HasSubstr("--max-expansion RATIO")) << result.describe();
    EXPECT_THAT(result.err, HasSubstr("extracted_size")) << result.describe();
    EXPECT_FALSE(fs::exists(installed("masks/mask_0.raw")));
}

TEST_F(SparseMasks, MaxExpansionLetsItThroughForOneRun) {
    serve_masks(false);
    auto result = cxrcat({"fetch", "t1", "--max-expansion", "100000"});
    ASSERT_EQ(result.exit_code, 0) << result.describe();
    expect_masks_installed();
}

} // namespace
} // namespace cxrcat::test
