// SPDX-License-Identifier: Apache-2.0
#include "archive/single_member_zip.hpp"

#include "cxrcat/archive/extract.hpp"
#include "cxrcat/base/text.hpp"
#include "base/remote_text.hpp"

#include <array>
#include <cerrno>
#include <unistd.h>

namespace cxrcat {

namespace {

constexpr std::string_view k_zip_magic{"PK\x03\x04", 4};
constexpr std::uint64_t k_member_slack = 1ULL << 20; // room past the expected size, so a mismatch is reported as one
constexpr std::uint64_t k_member_entries = 16;       // enough to name what a wrong archive holds

} // namespace

bool starts_with_zip_magic(std::string_view head) {
    return head.substr(0, k_zip_magic.size()) == k_zip_magic;
}

bool starts_with_zip_magic(int fd) {
    std::array<char, 4> head{};
    ssize_t got = 0;
    do {
        got = ::pread(fd, head.data(), head.size(), 0);
    } while (got < 0 && errno == EINTR);
    return got == static_cast<ssize_t>(head.size()) &&
           starts_with_zip_magic(std::string_view(head.data(), head.size()));
}

Result<UnpackedMember> unpack_single_member(const std::filesystem::path& archive, std::string_view member,
                                            const std::filesystem::path& work_dir,
                                            std::optional<std::uint64_t> expected_size,
                                            const std::string& display_path) {
    ExtractLimits limits;
    limits.max_entries = k_member_entries;
    limits.max_ratio = 1000.0; // one text file (a CSV) compresses far better than a directory of images
    if (expected_size) {
        // The listed size bounds the output: no ratio limit is needed, so a highly repetitive CSV
        // (deflate reaches about 1000:1) is never taken for a bomb.
        limits.max_output_bytes = *expected_size + k_member_slack;
        limits.max_ratio = 1e12;
    }
    auto extracted = extract_archive(archive, work_dir, limits);
    if (!extracted) {
        Error error = extracted.error();
        return Error(error.code(), display_path + ": the zip sent in its place cannot be unpacked: " + error.message(),
                     {"nothing was installed"});
    }
    if (extracted->size() != 1 || extracted->front().path != member) {
        std::vector<std::string> names;
        for (const auto& file : *extracted) {
            names.push_back("'" + providers::printable_excerpt(file.path, 120) + "'");
        }
        return Error(ErrorCode::integrity,
                     display_path + ": a zip arrived in its place that does not hold just '" + std::string(member) +
                         "' (it holds " + (names.empty() ? std::string("no file") : join(names, ", ")) + ")",
                     {"nothing was installed"});
    }
    return UnpackedMember{work_dir / extracted->front().path, extracted->front().size};
}

} // namespace cxrcat
