// SPDX-License-Identifier: Apache-2.0
// Formats checked by length against their header (or, for JSRT, against the publisher's fixed size):
// no codec is involved, so the structural check is the whole check.
#include "decode/format_checks.hpp"
#include "decode/gzip_head.hpp"
#include "decode/header_readers.hpp"

#include <fstream>
#include <vector>

namespace cxrcat::decode {

namespace {

namespace fs = std::filesystem;

// JSRT: "2048x2048 matrix size ... 12-bit gray scale (no header, big-endian raw data)" (db.jsrt.or.jp).
constexpr std::uintmax_t k_jsrt_side = 2048;
constexpr std::uintmax_t k_jsrt_bytes = k_jsrt_side * k_jsrt_side * 2;
constexpr std::uint32_t k_jsrt_max = 4095;
// Headers are small; a MetaImage header longer than this is not one.
constexpr std::size_t k_header_limit = 64 * 1024;

std::vector<std::byte> read_head(const fs::path& path, std::size_t count) {
    std::ifstream in(path, std::ios::binary);
    std::vector<std::byte> out(count);
    in.read(reinterpret_cast<char*>(out.data()), static_cast<std::streamsize>(count)); // NOLINT: bytes
    out.resize(static_cast<std::size_t>(in.gcount()));
    return out;
}

std::string length_mismatch(const std::string& what, std::uintmax_t expected, std::uintmax_t actual) {
    return what + ": expected " + std::to_string(expected) + " bytes, found " + std::to_string(actual);
}

ImageCheck passed(ImageFormat format, std::string description) {
    ImageCheck out;
    out.format = format;
    out.description = std::move(description);
    return out;
}

} // namespace

ImageCheck check_jsrt(const fs::path& path) {
    std::error_code ec;
    std::uintmax_t size = fs::file_size(path, ec);
    if (ec || size != k_jsrt_bytes) {
        return failed(ImageFormat::jsrt, "size",
                      ec ? ec.message() : length_mismatch("2048x2048 16-bit samples", k_jsrt_bytes, size));
    }
    ImageCheck out = passed(ImageFormat::jsrt, "2048x2048 12-bit grey, big-endian");
    std::vector<std::byte> bytes = read_head(path, k_jsrt_bytes);
    SampleRange range;
    for (std::size_t i = 0; i + 1 < bytes.size(); i += 2) {
        range.add(static_cast<std::uint32_t>(bytes[i]) << 8U | static_cast<std::uint32_t>(bytes[i + 1]));
    }
    range.warn_if_constant(out);
    if (range.max() > k_jsrt_max) {
        out.warnings.push_back("range: a sample is " + std::to_string(range.max()) + ", above 12 bits (4095)");
    }
    return out;
}

ImageCheck check_metaimage(const fs::path& path) {
    std::vector<std::byte> head = read_head(path, k_header_limit);
    std::string_view text(reinterpret_cast<const char*>(head.data()), head.size()); // NOLINT: bytes as text
    auto header = parse_metaimage_header(text);
    if (!header) {
        return failed(ImageFormat::metaimage, "header", header.error().message());
    }
    bool local = header->data_file == "LOCAL";
    fs::path data = local ? path : path.parent_path() / header->data_file;
    std::error_code ec;
    std::uintmax_t size = fs::file_size(data, ec);
    if (ec) {
        return failed(ImageFormat::metaimage, "data-file", data.filename().string() + ": " + ec.message());
    }
    std::uintmax_t found = local ? size - std::min<std::uintmax_t>(size, header->header_bytes) : size;
    std::uint64_t expected = header->data_bytes;
    if (header->compressed) {
        if (!header->compressed_bytes) {
            return passed(ImageFormat::metaimage, "zlib-compressed, length not stated");
        }
        expected = *header->compressed_bytes;
    }
    if (found != expected) {
        return failed(
            ImageFormat::metaimage, "data-length",
            length_mismatch(header->compressed ? "CompressedDataSize" : "DimSize x ElementType", expected, found));
    }
    return passed(ImageFormat::metaimage, std::to_string(header->data_bytes) + " bytes of samples");
}

ImageCheck check_nifti(const fs::path& path) {
    constexpr std::size_t k_longest_header = 540;
    bool gzipped = path.extension() == ".gz";
    std::vector<std::byte> head;
    if (gzipped) {
        auto inflated = gunzip_head(path, k_longest_header);
        if (!inflated) {
            return failed(ImageFormat::nifti, "gzip", inflated.error().message());
        }
        head = std::move(*inflated);
    } else {
        head = read_head(path, k_longest_header);
    }
    auto header = parse_nifti_header(head);
    if (!header) {
        return failed(ImageFormat::nifti, "header", header.error().message());
    }
    std::uint64_t expected = header->data_offset + header->data_bytes;
    if (gzipped) {
        // A cut stream has no trailer: its last four bytes are compressed data, not the length.
        auto stated = gzip_stated_size(path);
        if (!stated || *stated != static_cast<std::uint32_t>(expected)) {
            return failed(ImageFormat::nifti, "gzip-trailer",
                          stated ? length_mismatch("the gzip trailer's length (mod 2^32)",
                                                   static_cast<std::uint32_t>(expected), *stated)
                                 : stated.error().message());
        }
    } else if (std::error_code ec; fs::file_size(path, ec) < expected || ec) {
        return failed(ImageFormat::nifti, "data-length",
                      length_mismatch("vox_offset + voxels", expected, fs::file_size(path, ec)));
    }
    return passed(ImageFormat::nifti, "NIfTI-" + std::to_string(header->version) + " " + header->description);
}

ImageCheck check_npy(const fs::path& path) {
    std::vector<std::byte> head = read_head(path, k_header_limit);
    auto header = parse_npy_header(head);
    if (!header) {
        return failed(ImageFormat::npy, "header", header.error().message());
    }
    std::error_code ec;
    std::uintmax_t size = fs::file_size(path, ec);
    if (ec || size != header->data_offset + header->data_bytes) {
        return failed(ImageFormat::npy, "data-length",
                      length_mismatch("header + shape x itemsize", header->data_offset + header->data_bytes, size));
    }
    return passed(ImageFormat::npy, header->description);
}

} // namespace cxrcat::decode
