// SPDX-License-Identifier: Apache-2.0
// PNG through libspng, streamed from the file one row at a time (peak memory: one row, whatever the
// image's size). libspng checks every chunk's length, type and CRC as it reads, IHDR's fields, zlib's
// Adler-32 and each row's filter; spng_decode_chunks then reads on to IEND.
#include "decode/format_checks.hpp"

#include <array>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <spng.h>
#include <vector>

namespace cxrcat::decode {

namespace {

struct CloseFile {
    void operator()(std::FILE* file) const { std::fclose(file); }
};
struct FreeContext {
    void operator()(spng_ctx* context) const { spng_ctx_free(context); }
};

// The check an spng error belongs to (libspng's error codes, spng.h), else fallback.
std::string check_of(int error, const char* fallback) {
    switch (error) {
    case SPNG_ESIGNATURE: return "signature";
    case SPNG_ECHUNK_CRC: return "chunk-crc";
    case SPNG_ECHUNK_POS:
    case SPNG_ECHUNK_SIZE:
    case SPNG_ECHUNK_TYPE:
    case SPNG_ECHUNK_STDLEN:
    case SPNG_ECHUNK_UNKNOWN_CRITICAL: return "chunk";
    case SPNG_EOF:
    case SPNG_IO_EOF:
    case SPNG_IO_ERROR:
    case SPNG_EIDAT_TOO_SHORT: return "truncated";
    default: break;
    }
    if (error >= SPNG_EWIDTH && error <= SPNG_EIHDR_SIZE) {
        return "ihdr";
    }
    return fallback;
}

std::string colour_name(int colour_type) {
    switch (colour_type) {
    case SPNG_COLOR_TYPE_GRAYSCALE: return "grey";
    case SPNG_COLOR_TYPE_TRUECOLOR: return "RGB";
    case SPNG_COLOR_TYPE_INDEXED: return "indexed";
    case SPNG_COLOR_TYPE_GRAYSCALE_ALPHA: return "grey+alpha";
    case SPNG_COLOR_TYPE_TRUECOLOR_ALPHA: return "RGBA";
    default: return "colour type " + std::to_string(colour_type);
    }
}

// IEND is the last chunk and ends the file: its 12 bytes are fixed (length 0, "IEND", CRC AE426082).
constexpr std::array<unsigned char, 12> k_iend{0, 0, 0, 0, 'I', 'E', 'N', 'D', 0xAE, 0x42, 0x60, 0x82};

bool ends_with_iend(std::FILE* file) {
    std::array<unsigned char, 12> tail{};
    return std::fseek(file, -12, SEEK_END) == 0 && std::fread(tail.data(), 1, tail.size(), file) == tail.size() &&
           tail == k_iend;
}

bool ends_with_iend(Contents contents) {
    return contents.size() >= k_iend.size() &&
           std::memcmp(contents.data() + contents.size() - k_iend.size(), k_iend.data(), k_iend.size()) == 0;
}

// Decodes every row into range; the spng error of the first failure, or 0.
int decode_rows(spng_ctx* context, const spng_ihdr& header, SampleRange& range) {
    std::size_t image_size = 0;
    if (int error = spng_decode_image(context, nullptr, 0, SPNG_FMT_PNG, SPNG_DECODE_PROGRESSIVE); error != 0) {
        return error;
    }
    if (int error = spng_decoded_image_size(context, SPNG_FMT_PNG, &image_size); error != 0) {
        return error;
    }
    std::vector<unsigned char> row(image_size / header.height);
    unsigned bytes_per_sample = header.bit_depth == 16 ? 2 : 1;
    int error = 0;
    while ((error = spng_decode_row(context, row.data(), row.size())) == 0 || error == SPNG_EOI) {
        range.add_row(row.data(), row.size(), bytes_per_sample);
        if (error == SPNG_EOI) {
            return 0;
        }
    }
    return error;
}

// Reads the PNG from contents when given, else from the open file; decodes every row, then the
// chunks after the image; the IEND test last.
ImageCheck check_png(spng_ctx* context, Contents contents, std::FILE* file) {
    // Ancillary chunks too: a flipped bit anywhere means the file is not the publisher's.
    spng_set_crc_action(context, SPNG_CRC_ERROR, SPNG_CRC_ERROR);
    if (contents.empty()) {
        spng_set_png_file(context, file);
    } else {
        spng_set_png_buffer(context, contents.data(), contents.size());
    }
    spng_ihdr header{};
    if (int error = spng_get_ihdr(context, &header); error != 0) {
        return failed(ImageFormat::png, check_of(error, "ihdr"), spng_strerror(error));
    }
    ImageCheck out;
    out.format = ImageFormat::png;
    out.bit_depth = header.bit_depth;
    out.colour = colour_name(header.color_type);
    out.description = std::to_string(header.width) + "x" + std::to_string(header.height) + " " +
                      std::to_string(header.bit_depth) + "-bit " + out.colour;
    SampleRange range;
    if (int error = decode_rows(context, header, range); error != 0) {
        out.check = check_of(error, "decode");
        out.detail = spng_strerror(error);
        return out;
    }
    if (int error = spng_decode_chunks(context); error != 0) {
        out.check = check_of(error, "iend");
        out.detail = spng_strerror(error);
        return out;
    }
    if (!(contents.empty() ? ends_with_iend(file) : ends_with_iend(contents))) {
        out.check = "iend";
        out.detail = "the file does not end with the IEND chunk";
        return out;
    }
    range.warn_if_constant(out);
    return out;
}

} // namespace

ImageCheck check_png(const std::filesystem::path& path, Contents contents) {
    std::unique_ptr<std::FILE, CloseFile> file;
    if (contents.empty()) {
        file.reset(std::fopen(path.c_str(), "rb"));
        if (!file) {
            return failed(ImageFormat::png, "read", std::strerror(errno));
        }
    }
    std::unique_ptr<spng_ctx, FreeContext> context(spng_ctx_new(0));
    if (!context) {
        return failed(ImageFormat::png, "read", "libspng could not allocate a context");
    }
    return check_png(context.get(), contents, file.get());
}

} // namespace cxrcat::decode
