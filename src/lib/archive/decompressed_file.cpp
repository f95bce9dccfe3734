// SPDX-License-Identifier: Apache-2.0
#include "archive/decompressed_file.hpp"

#include <archive.h>

#include <algorithm>
#include <array>
#include <fstream>
#include <vector>

namespace cxrcat {

namespace {

constexpr std::array<std::string_view, 4> k_compressed_suffixes{".gz", ".bz2", ".xz", ".zst"};
constexpr std::size_t k_block = 1U << 16U;

bool is_compressed_name(const std::filesystem::path& path) {
    std::string name = path.filename().string();
    return std::any_of(k_compressed_suffixes.begin(), k_compressed_suffixes.end(), [&](std::string_view suffix) {
        return name.size() > suffix.size() && name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0;
    });
}

} // namespace

// Outside the anonymous namespace: Impl (a member of a named class) holds one.
struct DecompressedArchiveDeleter {
    void operator()(archive* handle) const { archive_read_free(handle); }
};

struct DecompressedStream::Impl {
    std::filesystem::path path;
    std::unique_ptr<archive, DecompressedArchiveDeleter> handle; // compressed files
    std::ifstream plain;                                         // the others
    std::vector<char> buffer;

    Error failure(ErrorCode code, const std::string& what) const {
        const char* words = handle ? archive_error_string(handle.get()) : nullptr;
        return Error(code,
                     path.string() + ": " + what + (words != nullptr ? std::string(": ") + words : std::string()));
    }
};

DecompressedStream::DecompressedStream(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}
DecompressedStream::DecompressedStream(DecompressedStream&&) noexcept = default;
DecompressedStream& DecompressedStream::operator=(DecompressedStream&&) noexcept = default;
DecompressedStream::~DecompressedStream() = default;

Result<DecompressedStream> DecompressedStream::open(const std::filesystem::path& path) {
    auto impl = std::make_unique<Impl>();
    impl->path = path;
    if (!is_compressed_name(path)) {
        impl->plain.open(path, std::ios::binary);
        if (!impl->plain) {
            return Error(ErrorCode::local_io, "cannot read " + path.string());
        }
        impl->buffer.resize(k_block);
        return DecompressedStream(std::move(impl));
    }
    impl->handle.reset(archive_read_new());
    archive* handle = impl->handle.get();
    archive_read_support_filter_gzip(handle);
    archive_read_support_filter_bzip2(handle);
    archive_read_support_filter_xz(handle);
    archive_read_support_filter_zstd(handle);
    archive_read_support_format_raw(handle);
    if (archive_read_open_filename(handle, path.c_str(), k_block) != ARCHIVE_OK) {
        return impl->failure(ErrorCode::local_io, "cannot read");
    }
    archive_entry* entry = nullptr;
    if (archive_read_next_header(handle, &entry) != ARCHIVE_OK) {
        return impl->failure(ErrorCode::integrity, "not a compressed file");
    }
    return DecompressedStream(std::move(impl));
}

Result<std::string_view> DecompressedStream::next() {
    if (!m_impl->handle) {
        m_impl->plain.read(m_impl->buffer.data(), static_cast<std::streamsize>(m_impl->buffer.size()));
        if (m_impl->plain.bad()) {
            return Error(ErrorCode::local_io, "cannot read " + m_impl->path.string());
        }
        return std::string_view(m_impl->buffer.data(), static_cast<std::size_t>(m_impl->plain.gcount()));
    }
    const void* block = nullptr;
    std::size_t size = 0;
    la_int64_t offset = 0;
    int status = ARCHIVE_OK;
    do { // an empty block is not the end: only ARCHIVE_EOF is
        status = archive_read_data_block(m_impl->handle.get(), &block, &size, &offset);
    } while (status == ARCHIVE_OK && size == 0);
    if (status == ARCHIVE_EOF) {
        return std::string_view();
    }
    if (status != ARCHIVE_OK) {
        return m_impl->failure(ErrorCode::integrity, "the compressed stream is damaged");
    }
    return std::string_view(static_cast<const char*>(block), size);
}

Result<std::string> read_decompressed_file(const std::filesystem::path& path) {
    auto stream = DecompressedStream::open(path);
    if (!stream) {
        return stream.error();
    }
    std::string text;
    for (;;) {
        auto block = stream->next();
        if (!block) {
            return block.error();
        }
        if (block->empty()) {
            return text;
        }
        text.append(*block);
    }
}

} // namespace cxrcat
