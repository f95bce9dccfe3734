// SPDX-License-Identifier: Apache-2.0
// Private: hashing a file that is already on disk (verify, adopting a file found in place).
#pragma once

#include "cxrcat/base/digest.hpp"
#include "cxrcat/base/result.hpp"

#include <filesystem>
#include <map>
#include <vector>

namespace cxrcat {

// Reads path once and returns its size and the requested digests.
struct FileDigests {
    std::uint64_t size = 0;
    std::map<DigestAlgorithm, std::string> digests;
};
[[nodiscard]] Result<FileDigests> hash_file(const std::filesystem::path& path,
                                            const std::vector<DigestAlgorithm>& algorithms);

} // namespace cxrcat
