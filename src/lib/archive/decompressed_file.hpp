// SPDX-License-Identifier: Apache-2.0
// Private: the text of a file that may be compressed on its own (not an archive of members):
// `x.csv.gz` as the publishers ship label tables. libarchive's raw format reads it, block by block.
#pragma once

#include "cxrcat/base/result.hpp"

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

namespace cxrcat {

// A file's bytes, decompressed when its name ends in .gz, .bz2, .xz or .zst, as they are otherwise.
class DecompressedStream {
  public:
    // Errors: local_io (cannot open), integrity (a compressed file whose stream does not start).
    [[nodiscard]] static Result<DecompressedStream> open(const std::filesystem::path& path);

    // The next block of bytes (valid until the next call); empty at the end. Errors: local_io,
    // integrity (a damaged compressed stream, with libarchive's words).
    [[nodiscard]] Result<std::string_view> next();

    DecompressedStream(DecompressedStream&&) noexcept;
    DecompressedStream& operator=(DecompressedStream&&) noexcept;
    DecompressedStream(const DecompressedStream&) = delete;
    DecompressedStream& operator=(const DecompressedStream&) = delete;
    ~DecompressedStream();

  private:
    struct Impl;
    explicit DecompressedStream(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m_impl;
};

// The whole of a DecompressedStream, for small files.
[[nodiscard]] Result<std::string> read_decompressed_file(const std::filesystem::path& path);

} // namespace cxrcat
