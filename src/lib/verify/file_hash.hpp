// SPDX-License-Identifier: Apache-2.0
// Private: hashing a file that is already on disk (verify, adopting a file found in place).
#pragma once

#include "cxrcat/base/digest.hpp"
#include "cxrcat/base/result.hpp"

#include <cstddef>
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

// The same, and a file of at most keep_up_to bytes is read whole into bytes (left empty otherwise),
// so that a caller that needs the contents too (a decode check) reads the file once.
[[nodiscard]] Result<FileDigests> hash_file(const std::filesystem::path& path,
                                            const std::vector<DigestAlgorithm>& algorithms,
                                            std::vector<std::byte>& bytes, std::uint64_t keep_up_to);

} // namespace cxrcat
