// SPDX-License-Identifier: Apache-2.0
// Does one image file open? The format-by-format checks of `verify --decode` and `fetch --decode`:
// structure (chunks, markers, headers, lengths), a full decode where a codec exists, and content
// sanity (an image whose pixels are all one value).
#pragma once

#include "cxrcat/base/spelled_enum.hpp"

#include <array>
#include <cstddef>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace cxrcat {

enum class ImageFormat { png, jpeg, dicom, jsrt, metaimage, nifti, npy };
constexpr std::array<std::string_view, 7> spellings(ImageFormat /*unused*/) {
    return {"png", "jpeg", "dicom", "jsrt-raw", "metaimage", "nifti", "npy"};
}

// What checking one file found.
struct ImageCheck {
    ImageFormat format = ImageFormat::png;
    std::string check;                 // the check that failed ("chunk-crc", "eoi", ...); "" = the file passed
    std::string detail;                // the library's words, or what was expected and what was found
    std::vector<std::string> warnings; // content sanity ("constant: every sample is 0"), never failures alone
    std::string description;           // what the file holds, when known ("1024x1024 8-bit grey")
    unsigned bit_depth = 0;            // bits per sample (DICOM: BitsStored), 0 when the format does not say
    std::string colour;                // grey, RGB, RGBA, grey+alpha, indexed; "" when the format does not say

    [[nodiscard]] bool ok() const { return check.empty(); }
};

// The image format path holds, judged by its name (".png", ".dcm", ".IMG", ".nii.gz", ...) and, for
// a name without an extension or ending in digits (a UID), its first bytes (DICOM's "DICM" at
// offset 128, PNG and JPEG signatures); nullopt when it is not an image file (a CSV, Thumbs.db, a .mhd's .raw data).
[[nodiscard]] std::optional<ImageFormat> image_format_of(const std::filesystem::path& path,
                                                         std::span<const std::byte> head);

// image_format_of path, its head taken from contents when given (the file already read), else read
// from the file (nullopt also when it cannot be read). An .img beside an .hdr is not JSRT's raw.
[[nodiscard]] std::optional<ImageFormat> image_format_of_file(const std::filesystem::path& path,
                                                              std::span<const std::byte> contents = {});

// Checks path as format. Never throws for a damaged file: the failure is in the result. A library
// that cannot be loaded is reported as the failed check "library". contents, when not empty, is the
// file's whole contents already read (by the hashing): PNG, JPEG and DICOM are then checked from
// memory without reading the file again.
[[nodiscard]] ImageCheck check_image(const std::filesystem::path& path, ImageFormat format,
                                     std::span<const std::byte> contents = {});

} // namespace cxrcat
