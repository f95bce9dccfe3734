// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "cxrcat/base/result.hpp"

#include <filesystem>
#include <string_view>

namespace cxrcat {

// Writes content to path so that readers see either the old file or the whole new one: a
// temporary file beside it is written, fsynced and renamed over path. Creates missing parent
// directories. Errors are local_io with the path and the system's reason.
Result<void> write_file_atomically(const std::filesystem::path& path, std::string_view content);

// The same without the fsync: readers still see the old file or the whole new one, but a crash may
// lose the new content (the old file, or an empty one, stays). Only for records whose loss costs
// time, never data (a resume record), where an fsync per file would stall the caller.
Result<void> replace_file_without_flush(const std::filesystem::path& path, std::string_view content);

} // namespace cxrcat
