// SPDX-License-Identifier: Apache-2.0
// The fixed binary NIfTI-1/-2 header (nifti1.h, nifti2.h of the NIfTI standard): only the fields
// that fix where the voxels are and how long they are. libnifti2 would read the whole volume.
#include "decode/checked_size.hpp"
#include "decode/header_readers.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <cstring>

namespace cxrcat::decode {

namespace {

constexpr std::size_t k_nifti1_size = 348;
constexpr std::size_t k_nifti2_size = 540;

// Reads a T at offset, byte-swapped when swap.
template <typename T> T nifti_field(std::span<const std::byte> bytes, std::size_t offset, bool swap) {
    T value{};
    std::memcpy(&value, bytes.data() + offset, sizeof(T));
    if (swap) {
        auto raw = std::bit_cast<std::array<std::byte, sizeof(T)>>(value);
        std::reverse(raw.begin(), raw.end());
        value = std::bit_cast<T>(raw);
    }
    return value;
}

Error nifti_error(const std::string& what) {
    return Error(ErrorCode::integrity, "NIfTI header: " + what);
}

bool magic_is(std::span<const std::byte> bytes, std::size_t offset, const char (&magic)[4]) {
    return std::memcmp(bytes.data() + offset, magic, 4) == 0;
}

// The voxel bytes of dims (dims[0] = how many follow) at bitpix bits per voxel.
Result<std::uint64_t> voxel_bytes(const std::array<std::int64_t, 8>& dims, std::int64_t bitpix) {
    if (dims[0] < 1 || dims[0] > 7) {
        return nifti_error("dim[0] " + std::to_string(dims[0]) + " is not 1 to 7");
    }
    if (bitpix <= 0 || bitpix % 8 != 0) {
        return nifti_error("bitpix " + std::to_string(bitpix) + " is not a positive multiple of 8");
    }
    std::optional<std::uint64_t> bytes = static_cast<std::uint64_t>(bitpix / 8);
    for (std::int64_t i = 1; i <= dims[0]; ++i) {
        if (dims[static_cast<std::size_t>(i)] < 0) {
            return nifti_error("dim[" + std::to_string(i) + "] is negative");
        }
        bytes = bytes ? checked_product(*bytes, static_cast<std::uint64_t>(dims[static_cast<std::size_t>(i)]))
                      : std::nullopt;
    }
    if (!bytes) {
        return nifti_error("the dimensions overflow");
    }
    return *bytes;
}

std::string describe_dims(const std::array<std::int64_t, 8>& dims, std::int64_t bitpix) {
    std::string out;
    for (std::int64_t i = 1; i <= dims[0] && i < 8; ++i) {
        out += (i > 1 ? "x" : "") + std::to_string(dims[static_cast<std::size_t>(i)]);
    }
    return out + " " + std::to_string(bitpix) + "-bit";
}

} // namespace

Result<NiftiHeader> parse_nifti_header(std::span<const std::byte> bytes) {
    if (bytes.size() < k_nifti1_size) {
        return nifti_error("only " + std::to_string(bytes.size()) + " bytes, a header has 348");
    }
    auto size = nifti_field<std::int32_t>(bytes, 0, false);
    bool swap = size != 348 && size != 540;
    size = swap ? nifti_field<std::int32_t>(bytes, 0, true) : size;
    NiftiHeader header;
    std::array<std::int64_t, 8> dims{};
    std::int64_t bitpix = 0;
    if (size == 348 && magic_is(bytes, 344, "n+1")) {
        for (std::size_t i = 0; i < 8; ++i) {
            dims[i] = nifti_field<std::int16_t>(bytes, 40 + 2 * i, swap);
        }
        bitpix = nifti_field<std::int16_t>(bytes, 72, swap);
        float offset = nifti_field<float>(bytes, 108, swap);
        if (!std::isfinite(offset) || offset < static_cast<float>(k_nifti1_size) || offset > 1e12F) {
            return nifti_error("vox_offset " + std::to_string(offset) + " is not past the header");
        }
        header.data_offset = static_cast<std::uint64_t>(offset);
    } else if (size == 540 && bytes.size() >= k_nifti2_size && magic_is(bytes, 4, "n+2")) {
        header.version = 2;
        bitpix = nifti_field<std::int16_t>(bytes, 14, swap);
        for (std::size_t i = 0; i < 8; ++i) {
            dims[i] = nifti_field<std::int64_t>(bytes, 16 + 8 * i, swap);
        }
        auto offset = nifti_field<std::int64_t>(bytes, 168, swap);
        if (offset < static_cast<std::int64_t>(k_nifti2_size)) {
            return nifti_error("vox_offset " + std::to_string(offset) + " is not past the header");
        }
        header.data_offset = static_cast<std::uint64_t>(offset);
    } else {
        return nifti_error("sizeof_hdr " + std::to_string(size) + " with no single-file magic \"n+1\" or \"n+2\"");
    }
    auto data = voxel_bytes(dims, bitpix);
    if (!data) {
        return data.error();
    }
    header.data_bytes = *data;
    header.description = describe_dims(dims, bitpix);
    return header;
}

} // namespace cxrcat::decode
