// SPDX-License-Identifier: Apache-2.0
#include "archive/extract_errors.hpp"

#include <cerrno>
#include <system_error>

namespace cxrcat::extraction {

// libarchive and strerror capitalise; our messages do not (but leave "ZIP ..." alone).
std::string lower_first(std::string text) {
    if (text.size() >= 2 && text[0] >= 'A' && text[0] <= 'Z' && text[1] >= 'a' && text[1] <= 'z') {
        text[0] = static_cast<char>(text[0] - 'A' + 'a');
    }
    return text;
}

std::string describe_errno(int error_number) {
    switch (error_number) {
    case ENOSPC: return "disk full";
    case EDQUOT: return "disk quota exceeded";
    case EFBIG: return "file too large (file size limit exceeded)";
    case EACCES:
    case EPERM: return "permission denied";
    case EROFS: return "read-only file system";
    default: return lower_first(std::generic_category().message(error_number)); // strerror is not thread-safe
    }
}

Error io_error(std::string_view what, const std::filesystem::path& path, int error_number) {
    return {ErrorCode::local_io, std::string(what) + " " + path.string() + ": " + describe_errno(error_number)};
}

Error Refusal::operator()(std::string_view why) const {
    return Error(ErrorCode::integrity, "refusing to extract " + archive_name + ": " + std::string(why),
                 {"nothing from the archive was installed in " + destination.string()});
}

} // namespace cxrcat::extraction
