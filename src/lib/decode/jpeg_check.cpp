// SPDX-License-Identifier: Apache-2.0
// JPEG through libturbojpeg. libjpeg reports corrupt entropy data and a premature end only as
// warnings and pads the image with grey, so a decode that checks return codes alone passes a damaged
// file: TJFLAG_STOPONWARNING turns the first warning into a failure.
#include "decode/format_checks.hpp"

#include <fstream>
#include <memory>
#include <span>
#include <turbojpeg.h>
#include <vector>

namespace cxrcat::decode {

namespace {

struct DestroyHandle {
    void operator()(void* handle) const { tjDestroy(handle); }
};

// EOI (FF D9) ends the file, allowing zero padding after it (some writers pad to an even length).
bool ends_with_eoi(std::span<const unsigned char> bytes) {
    std::size_t end = bytes.size();
    while (end > 0 && bytes[end - 1] == 0) {
        --end;
    }
    return end >= 4 && bytes[end - 2] == 0xFF && bytes[end - 1] == 0xD9;
}

// The whole file into bytes (sized from its length, not grown byte by byte); false when unreadable.
bool read_file(const std::filesystem::path& path, std::vector<unsigned char>& bytes) {
    std::ifstream in(path, std::ios::binary | std::ios::ate);
    if (!in) {
        return false;
    }
    auto size = static_cast<std::streamsize>(in.tellg());
    bytes.resize(static_cast<std::size_t>(size));
    in.seekg(0);
    return static_cast<bool>(in.read(reinterpret_cast<char*>(bytes.data()), size)); // NOLINT: bytes
}

ImageCheck check_jpeg(std::span<const unsigned char> bytes) {
    if (bytes.size() < 4 || bytes[0] != 0xFF || bytes[1] != 0xD8) {
        return failed(ImageFormat::jpeg, "soi", "the file does not start with the JPEG SOI marker (FF D8)");
    }
    if (!ends_with_eoi(bytes)) {
        return failed(ImageFormat::jpeg, "eoi", "the file does not end with the JPEG EOI marker (FF D9): truncated");
    }
    std::unique_ptr<void, DestroyHandle> handle(tjInitDecompress());
    if (!handle) {
        return failed(ImageFormat::jpeg, "decode", tjGetErrorStr2(nullptr));
    }
    int width = 0;
    int height = 0;
    int subsampling = 0;
    int colourspace = 0;
    if (tjDecompressHeader3(handle.get(), bytes.data(), bytes.size(), &width, &height, &subsampling, &colourspace) !=
        0) {
        return failed(ImageFormat::jpeg, "header", tjGetErrorStr2(handle.get()));
    }
    bool grey = colourspace == TJCS_GRAY;
    int format = grey ? TJPF_GRAY : TJPF_RGB;
    // One decoded image per worker, reused from file to file (no page faults on a fresh buffer each time).
    thread_local std::vector<unsigned char> pixels;
    pixels.resize(static_cast<std::size_t>(width) * static_cast<std::size_t>(height) *
                  static_cast<std::size_t>(tjPixelSize[format]));
    if (tjDecompress2(handle.get(), bytes.data(), bytes.size(), pixels.data(), width, 0, height, format,
                      TJFLAG_STOPONWARNING) != 0) {
        return failed(ImageFormat::jpeg, "decode", tjGetErrorStr2(handle.get()));
    }
    ImageCheck out;
    out.format = ImageFormat::jpeg;
    out.description = std::to_string(width) + "x" + std::to_string(height) + " 8-bit " + (grey ? "grey" : "colour");
    out.bit_depth = 8;
    out.colour = grey ? "grey" : "RGB"; // YCbCr and RGB decode to RGB samples
    SampleRange range;
    range.add_row(pixels.data(), pixels.size(), 1);
    range.warn_if_constant(out);
    return out;
}

} // namespace

ImageCheck check_jpeg(const std::filesystem::path& path, Contents contents) {
    if (!contents.empty()) {
        return check_jpeg(std::span(reinterpret_cast<const unsigned char*>(contents.data()), // NOLINT: bytes
                                    contents.size()));
    }
    thread_local std::vector<unsigned char> bytes;
    if (!read_file(path, bytes)) {
        return failed(ImageFormat::jpeg, "read", "cannot read the file");
    }
    return check_jpeg(bytes);
}

} // namespace cxrcat::decode
