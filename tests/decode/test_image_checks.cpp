// SPDX-License-Identifier: Apache-2.0
// Every fixture of make_fixtures.py through check_image: each damaged file fails exactly the check
// expected.json names, each intact original passes; non-images are not taken for images.
#include "cxrcat/decode/image_check.hpp"
#include "decode/header_readers.hpp"
#include "support/files.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cstdlib>
#include <span>
#include <turbojpeg.h>
#include <vector>

namespace cxrcat::test {
namespace {

namespace fs = std::filesystem;

fs::path fixtures() {
    const char* dir = std::getenv("CXRCAT_DECODE_FIXTURES"); // NOLINT(concurrency-mt-unsafe): read at start
    return dir != nullptr ? fs::path(dir) : fs::path();
}

TEST(ImageChecks, EachFixtureFailsItsNamedCheckOrPasses) {
    ASSERT_FALSE(fixtures().empty()) << "CXRCAT_DECODE_FIXTURES is not set (the decode_fixtures CTest fixture)";
    auto expected = nlohmann::json::parse(read_text_file(fixtures() / "expected.json"));
    ASSERT_GE(expected.size(), 20U);
    for (const auto& [name, want] : expected.items()) {
        auto format = image_format_of_file(fixtures() / name);
        ASSERT_TRUE(format.has_value()) << name << " was not taken for an image";
        ImageCheck check = check_image(fixtures() / name, *format);
        EXPECT_EQ(check.check, want["check"].get<std::string>())
            << name << " (" << want["how"].get<std::string>() << "): " << check.detail;
        if (want.contains("warning") && !want["warning"].get<std::string>().empty()) {
            ASSERT_FALSE(check.warnings.empty()) << name;
            EXPECT_EQ(check.warnings.front().rfind(want["warning"].get<std::string>(), 0), 0U)
                << check.warnings.front();
        }
        if (check.ok()) {
            EXPECT_FALSE(check.description.empty()) << name;
        } else {
            EXPECT_FALSE(check.detail.empty()) << name << ": a failure says why";
        }
    }
}

// verify --decode hands the checks the bytes it hashed: from memory, every fixture gets the verdict it
// gets from its file (same failed check, same detail, same warnings, same description).
TEST(ImageChecks, ContentsReadOnceGiveTheFilesVerdict) {
    auto expected = nlohmann::json::parse(read_text_file(fixtures() / "expected.json"));
    std::size_t from_memory = 0;
    for (const auto& [name, want] : expected.items()) {
        std::string bytes = read_text_file(fixtures() / name);
        auto contents = std::as_bytes(std::span(bytes.data(), bytes.size()));
        auto format = image_format_of_file(fixtures() / name, contents);
        ASSERT_EQ(format, image_format_of_file(fixtures() / name)) << name;
        ImageCheck from_file = check_image(fixtures() / name, *format);
        ImageCheck in_memory = check_image(fixtures() / name, *format, contents);
        EXPECT_EQ(in_memory.check, from_file.check) << name;
        EXPECT_EQ(in_memory.detail, from_file.detail) << name;
        EXPECT_EQ(in_memory.warnings, from_file.warnings) << name;
        EXPECT_EQ(in_memory.description, from_file.description) << name;
        bool memory_format =
            *format == ImageFormat::png || *format == ImageFormat::jpeg || *format == ImageFormat::dicom;
        from_memory += memory_format ? 1 : 0;
    }
    EXPECT_GE(from_memory, 10U) << "PNG, JPEG and DICOM fixtures are checked from memory";
}

TEST(ImageChecks, NonImagesAndDataFilesAreNotImages) {
    for (const char* name : {"labels.csv", "Thumbs.db", "good.raw", "expected.json"}) {
        EXPECT_FALSE(image_format_of_file(fixtures() / name).has_value()) << name;
    }
    // DICOM files named by UID alone are recognised by their content.
    fs::copy_file(fixtures() / "good_native.dcm", fixtures() / "1.2.826.0.1.3680043",
                  fs::copy_options::overwrite_existing);
    EXPECT_EQ(image_format_of_file(fixtures() / "1.2.826.0.1.3680043"), ImageFormat::dicom);
    fs::copy_file(fixtures() / "good_native.dcm", fixtures() / "IM0001", fs::copy_options::overwrite_existing);
    EXPECT_EQ(image_format_of_file(fixtures() / "IM0001"), ImageFormat::dicom);
}

// Why TJFLAG_STOPONWARNING: libjpeg reports this damage as a warning only and still fills the image.
TEST(ImageChecks, CorruptEntropyDataIsOnlyAWarningToLibjpeg) {
    std::string bytes = read_text_file(fixtures() / "corrupt_entropy.jpg");
    tjhandle handle = tjInitDecompress();
    ASSERT_NE(handle, nullptr);
    std::vector<unsigned char> pixels(256 * 256);
    const auto* data = reinterpret_cast<const unsigned char*>(bytes.data()); // NOLINT: bytes
    int status = tjDecompress2(handle, data, bytes.size(), pixels.data(), 256, 0, 256, TJPF_GRAY, 0);
    if (status != 0) {
        EXPECT_EQ(tjGetErrorCode(handle), TJERR_WARNING) << tjGetErrorStr2(handle);
    }
    tjDestroy(handle);
}

TEST(HeaderReaders, MetaImageLengthAndErrors) {
    auto header = decode::parse_metaimage_header(
        "ObjectType = Image\nNDims = 3\nDimSize = 512 512 141\nElementType = MET_SHORT\nElementDataFile = a.raw\n");
    ASSERT_TRUE(header) << header.error().message();
    EXPECT_EQ(header->data_bytes, 512ULL * 512 * 141 * 2);
    EXPECT_EQ(header->data_file, "a.raw");
    EXPECT_FALSE(decode::parse_metaimage_header("NDims = 2\nDimSize = 4 4\nElementType = MET_SHORT\n"));
    EXPECT_FALSE(decode::parse_metaimage_header("NDims = 3\nDimSize = 4 4\nElementType = MET_SHORT\n"
                                                "ElementDataFile = LOCAL\n"));
    EXPECT_FALSE(decode::parse_metaimage_header("DimSize = 4294967296 4294967296 4294967296\n"
                                                "ElementType = MET_DOUBLE\nElementDataFile = LOCAL\n"));
}

TEST(HeaderReaders, NpyShapeTimesItemSize) {
    std::string npy("\x93NUMPY\x01\x00", 8);
    std::string dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (1, 32, 256, 256), }";
    dict.resize(117, ' '); // padded so that magic, version, length and dict end at 128
    dict += '\n';
    npy += static_cast<char>(dict.size());
    npy += '\0';
    npy += dict;
    auto header = decode::parse_npy_header(std::as_bytes(std::span(npy.data(), npy.size())));
    ASSERT_TRUE(header) << header.error().message();
    EXPECT_EQ(header->data_offset, 128U);
    EXPECT_EQ(header->data_bytes, 32ULL * 256 * 256 * 4);
    std::string object = npy;
    object.replace(object.find("<f4"), 3, "|O8");
    EXPECT_FALSE(decode::parse_npy_header(std::as_bytes(std::span(object.data(), object.size()))));
}

} // namespace
} // namespace cxrcat::test
