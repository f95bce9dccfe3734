// SPDX-License-Identifier: Apache-2.0
// Private: the bodies of Kaggle's competition API (provider-apis.md §3.3, §3.5).
#pragma once

#include "cxrcat/base/result.hpp"

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
    std::string error_message;   // a dataset list's errorMessage, "" when unset
};

// Parses a file-list body: the envelope {"files": [...], "nextPageToken": "..."} (a competition's
// ApiListDataFilesResponse), {"datasetFiles": [...], "errorMessage": "...", "nextPageToken": "..."}
// (ApiListDatasetFilesResponse, whose ApiDatasetFile has the same name and totalBytes), or a bare
// array of the same objects (the legacy GET's older shape, always one page). totalBytes may be a number or
// a decimal string (protobuf JSON). Error when the body is neither shape or a file has no name.
[[nodiscard]] Result<KaggleFilePage> parse_kaggle_file_list(std::string_view body);

// The "message" of a Kaggle JSON error body ({"code": 403, "message": "..."}, or the RPC API's
// {"error": {"code": 429, "message": "...", "status": "..."}}), or "".
[[nodiscard]] std::string kaggle_error_message(std::string_view body);

// What a 403 from Kaggle means, read from its body's message (provider-apis.md §3.5).
enum class KaggleRefusal {
    rules_not_accepted,  // "You must accept this competition's rules before you'll be able to download files."
    no_such_competition, // "Required permission 'competitions.get' was not satisfied" (or "... was denied"):
                         // the competition does not exist, or this account may not see it
    other,               // anything else ("Permission 'competitions.participate' was denied", ...)
};

// Classifies the message of a 403 body ("" gives other).
[[nodiscard]] KaggleRefusal classify_kaggle_refusal(std::string_view message);

} // namespace cxrcat::providers
