// SPDX-License-Identifier: Apache-2.0
// The ordered parts of a byte-split archive (LUNA25's luna25_images.zip.001...046) as one seekable
// byte stream, for libarchive's read, seek and skip callbacks. libarchive's own multi-file reader
// (archive_read_open_filenames) fails when a zip's central directory straddles two parts
// ("unknown error", ARCHIVE_FATAL with no message; libarchive issue 2733), so it is not used.
#pragma once

#include "cxrcat/base/result.hpp"
#include "archive/unique_fd.hpp"

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <vector>

namespace cxrcat::extraction {

class PartsStream {
  public:
    // Opens every part (ErrorCode::local_io naming the part that cannot be read).
    static Result<PartsStream> open(const std::vector<std::filesystem::path>& parts);

    // Reads up to the block size from the current position into the stream's buffer; 0 at the end,
    // -1 on a read error (errno set).
    std::int64_t read(const void** block);
    // Moves the position as lseek does (SEEK_SET, SEEK_CUR, SEEK_END); -1 when out of range.
    std::int64_t seek(std::int64_t offset, int whence);
    // Moves the position forward by up to request bytes; returns how far it moved.
    std::int64_t skip(std::int64_t request);

  private:
    struct Part {
        Fd fd;
        std::uint64_t start = 0; // offset of its first byte in the whole
        std::uint64_t size = 0;
    };
    std::vector<Part> m_parts;
    std::uint64_t m_total = 0;
    std::uint64_t m_position = 0;
    std::vector<std::byte> m_buffer;
};

} // namespace cxrcat::extraction
