// SPDX-License-Identifier: Apache-2.0
#include "decode/gzip_head.hpp"

#include <array>
#include <fstream>
#include <zlib.h>

namespace cxrcat::decode {

namespace {

// gzip only (no raw deflate, no zlib header): windowBits 15 + 16, as zlib.h documents.
constexpr int k_gzip_window_bits = 15 + 16;

} // namespace

Result<std::vector<std::byte>> gunzip_head(const std::filesystem::path& path, std::size_t count) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        return Error(ErrorCode::local_io, path.string() + ": cannot open");
    }
    z_stream stream{};
    if (inflateInit2(&stream, k_gzip_window_bits) != Z_OK) {
        return Error(ErrorCode::internal, "zlib: inflateInit2 failed");
    }
    std::vector<std::byte> out(count);
    std::array<char, 4096> input{};
    stream.next_out = reinterpret_cast<Bytef*>(out.data()); // NOLINT: zlib's byte type
    stream.avail_out = static_cast<uInt>(count);
    int status = Z_OK;
    while (stream.avail_out > 0 && status == Z_OK) {
        if (stream.avail_in == 0) {
            in.read(input.data(), input.size());
            stream.next_in = reinterpret_cast<Bytef*>(input.data()); // NOLINT: zlib's byte type
            stream.avail_in = static_cast<uInt>(in.gcount());
            if (stream.avail_in == 0) {
                break;
            }
        }
        status = inflate(&stream, Z_NO_FLUSH);
    }
    std::string message = stream.msg != nullptr ? stream.msg : "";
    out.resize(count - stream.avail_out);
    inflateEnd(&stream);
    if (status != Z_OK && status != Z_STREAM_END) {
        return Error(ErrorCode::integrity, "zlib: " + (message.empty() ? "error " + std::to_string(status) : message));
    }
    return out;
}

Result<std::uint32_t> gzip_stated_size(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::array<unsigned char, 4> tail{};
    if (!in.seekg(-4, std::ios::end) || !in.read(reinterpret_cast<char*>(tail.data()), 4)) { // NOLINT: bytes
        return Error(ErrorCode::integrity, "the file is too short for a gzip trailer");
    }
    std::uint32_t size = 0;
    for (std::size_t i = 4; i-- > 0;) {
        size = size << 8U | tail[i]; // little-endian (RFC 1952 §2.1)
    }
    return size;
}

} // namespace cxrcat::decode
