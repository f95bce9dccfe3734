// SPDX-License-Identifier: Apache-2.0
// Private to decode: light readers of the headers of formats that need no codec to check (MetaImage,
// NIfTI, NumPy .npy). Each reads bytes it is given, never a file, so each has a fuzz target.
#pragma once

#include "cxrcat/base/result.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace cxrcat::decode {

// A MetaImage header (.mhd, or the head of a .mha): what the pixel data must measure.
struct MetaImageHeader {
    std::uint64_t data_bytes = 0;                  // ∏DimSize × element size × channels, uncompressed
    bool compressed = false;                       // CompressedData = True (zlib)
    std::optional<std::uint64_t> compressed_bytes; // CompressedDataSize, when stated
    std::string data_file;                         // ElementDataFile: "LOCAL" or a file name
    std::size_t header_bytes = 0;                  // bytes up to and including the ElementDataFile line
};

// Parses the `Key = Value` lines of a MetaImage header up to ElementDataFile (which ends it);
// integrity error naming the key when NDims, DimSize, ElementType or ElementDataFile is missing,
// malformed, or the size overflows.
[[nodiscard]] Result<MetaImageHeader> parse_metaimage_header(std::string_view text);

// A NIfTI-1 or NIfTI-2 header: where the voxels start and how many bytes they take.
struct NiftiHeader {
    int version = 1;               // 1 or 2
    std::uint64_t data_offset = 0; // vox_offset
    std::uint64_t data_bytes = 0;  // ∏dim[1..dim[0]] × bitpix / 8
    std::string description;       // "512x512x141 int16"-like, for reports
};

// Parses the first 348 (NIfTI-1) or 540 (NIfTI-2) bytes of a single-file NIfTI (magic "n+1" /
// "n+2", either byte order); integrity error saying what is wrong otherwise.
[[nodiscard]] Result<NiftiHeader> parse_nifti_header(std::span<const std::byte> bytes);

// A NumPy .npy header: where the array starts and how many bytes it takes.
struct NpyHeader {
    std::uint64_t data_offset = 0;
    std::uint64_t data_bytes = 0;
    std::string description; // "float32-like '<f4' (1, 32, 256, 256)"
};

// Parses the magic, version, header length and the header dict's 'descr' and 'shape' of a .npy
// file from its first bytes (at least the whole header); integrity error otherwise (object arrays
// included: their length is not fixed).
[[nodiscard]] Result<NpyHeader> parse_npy_header(std::span<const std::byte> bytes);

} // namespace cxrcat::decode
