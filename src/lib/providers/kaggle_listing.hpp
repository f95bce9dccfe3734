// SPDX-License-Identifier: Apache-2.0
// Private: the bodies of Kaggle's competition API (provider-apis.md §3.3, §3.5).
#pragma once

#include "cxrcat/result.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cxrcat::providers {

// One file of a competition (ApiDataFile). Kaggle publishes no checksum.
struct KaggleDataFile {
    std::string name;                  // the path inside the competition, may contain '/'
    std::optional<std::uint64_t> size; // totalBytes
};

struct KaggleFilePage {
    std::vector<KaggleDataFile> files;
    std::string next_page_token; // "" on the last page
};

// Parses a file-list body: the envelope {"files": [...], "nextPageToken": "..."} or a bare array of
// the same objects (the legacy GET's older shape, always one page). totalBytes may be a number or
// a decimal string (protobuf JSON). Error when the body is neither shape or a file has no name.
[[nodiscard]] Result<KaggleFilePage> parse_kaggle_file_list(std::string_view body);

// The "message" of a Kaggle JSON error body ({"code": 403, "message": "..."}), or "".
[[nodiscard]] std::string kaggle_error_message(std::string_view body);

} // namespace cxrcat::providers
