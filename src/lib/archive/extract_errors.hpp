// SPDX-License-Identifier: Apache-2.0
// The error texts the extract units share: I/O failures and refusals of a hostile archive.
#pragma once

#include "cxrcat/base/error.hpp"

#include <filesystem>
#include <string>
#include <string_view>

namespace cxrcat::extraction {

// text with its first letter lowered when it starts a capitalised word ("ZIP ..." stays).
std::string lower_first(std::string text);

// A short reason for errno error_number ("disk full", "permission denied", ...).
std::string describe_errno(int error_number);

// ErrorCode::local_io: "<what> <path>: <reason of error_number>".
Error io_error(std::string_view what, const std::filesystem::path& path, int error_number);

// Builds the refusal of one archive: ErrorCode::integrity naming the archive, with a note that
// nothing reached the destination. destination is empty until the staging area is prepared.
struct Refusal {
    std::string archive_name;
    std::filesystem::path destination;

    // "refusing to extract <archive_name>: <why>".
    [[nodiscard]] Error operator()(std::string_view why) const;
};

} // namespace cxrcat::extraction
