// SPDX-License-Identifier: Apache-2.0
// Private to decode: the start and the stated length of a gzip file (a .nii.gz), without inflating
// the rest.
#pragma once

#include "cxrcat/base/result.hpp"

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <vector>

namespace cxrcat::decode {

// The first `count` bytes of path's decompressed content (fewer when the content is shorter), by
// zlib; integrity error with zlib's words when the stream is damaged before then.
[[nodiscard]] Result<std::vector<std::byte>> gunzip_head(const std::filesystem::path& path, std::size_t count);

// ISIZE, the gzip trailer's last 4 bytes: the uncompressed length modulo 2^32 (RFC 1952 §2.3.1).
[[nodiscard]] Result<std::uint32_t> gzip_stated_size(const std::filesystem::path& path);

} // namespace cxrcat::decode
