// SPDX-License-Identifier: Apache-2.0
// Private: the body of the Hugging Face Hub tree API (provider-apis.md §4.3).
#pragma once

#include "cxrcat/base/result.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cxrcat::providers {

// One file of a repository listing.
struct HubTreeFile {
    std::string path;
    std::optional<std::uint64_t> size;
    // lfs.oid: the SHA-256 of the content (lowercase hex), for files stored in LFS/Xet; "" otherwise.
    // A regular file's `oid` is its git blob SHA-1 (of "blob <size>\0" + content), which cxrcat does
    // not verify against, so it is not kept.
    std::string lfs_sha256;
};

// Parses one page of GET /api/datasets/{repo}/tree/{rev}?recursive=true: a JSON array of entries.
// Keeps the entries of type "file" (directories and unknown types are dropped). Error when the body
// is not such an array or a file entry has no path.
[[nodiscard]] Result<std::vector<HubTreeFile>> parse_hub_tree_page(std::string_view body);

} // namespace cxrcat::providers
