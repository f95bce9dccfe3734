// SPDX-License-Identifier: Apache-2.0
// Private: the whole text of a file that may be compressed on its own (not an archive of members):
// `x.csv.gz` as the publishers ship label tables. libarchive's raw format reads it.
#pragma once

#include "cxrcat/base/result.hpp"

#include <filesystem>
#include <string>

namespace cxrcat {

// The file's bytes, decompressed when its name ends in .gz, .bz2, .xz or .zst; as they are otherwise.
// Errors: local_io (cannot read), integrity (a compressed stream that does not decompress, with
// libarchive's words).
[[nodiscard]] Result<std::string> read_decompressed_file(const std::filesystem::path& path);

} // namespace cxrcat
