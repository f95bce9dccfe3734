// SPDX-License-Identifier: Apache-2.0
#include "archive/decompressed_file.hpp"

#include <archive.h>

#include <array>
#include <fstream>
#include <memory>
#include <sstream>

namespace cxrcat {

namespace {

constexpr std::array<std::string_view, 4> k_compressed_suffixes{".gz", ".bz2", ".xz", ".zst"};

bool is_compressed_name(const std::filesystem::path& path) {
    std::string name = path.filename().string();
    for (std::string_view suffix : k_compressed_suffixes) {
        if (name.size() > suffix.size() && name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0) {
            return true;
        }
    }
    return false;
}

Result<std::string> read_plain(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        return Error(ErrorCode::local_io, "cannot read " + path.string());
    }
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

struct ArchiveDeleter {
    void operator()(archive* handle) const { archive_read_free(handle); }
};

} // namespace

Result<std::string> read_decompressed_file(const std::filesystem::path& path) {
    if (!is_compressed_name(path)) {
        return read_plain(path);
    }
    std::unique_ptr<archive, ArchiveDeleter> handle(archive_read_new());
    archive_read_support_filter_gzip(handle.get());
    archive_read_support_filter_bzip2(handle.get());
    archive_read_support_filter_xz(handle.get());
    archive_read_support_filter_zstd(handle.get());
    archive_read_support_format_raw(handle.get());
    auto failed = [&](ErrorCode code, const std::string& what) {
        const char* words = archive_error_string(handle.get());
        return Error(code, path.string() + ": " + what + (words != nullptr ? std::string(": ") + words : std::string()));
    };
    constexpr std::size_t k_block = 1U << 16U;
    if (archive_read_open_filename(handle.get(), path.c_str(), k_block) != ARCHIVE_OK) {
        return failed(ErrorCode::local_io, "cannot read");
    }
    archive_entry* entry = nullptr;
    if (archive_read_next_header(handle.get(), &entry) != ARCHIVE_OK) {
        return failed(ErrorCode::integrity, "not a compressed file");
    }
    std::string text;
    for (;;) {
        const void* block = nullptr;
        std::size_t size = 0;
        la_int64_t offset = 0;
        int status = archive_read_data_block(handle.get(), &block, &size, &offset);
        if (status == ARCHIVE_EOF) {
            return text;
        }
        if (status != ARCHIVE_OK) {
            return failed(ErrorCode::integrity, "the compressed stream is damaged");
        }
        text.append(static_cast<const char*>(block), size);
    }
}

} // namespace cxrcat
