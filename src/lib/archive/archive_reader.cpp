// SPDX-License-Identifier: Apache-2.0
// The only file that talks to libarchive's reader.
#include "archive/archive_reader.hpp"

#include "archive/extract_errors.hpp"

#include <archive.h>
#include <archive_entry.h>

#include <array>
#include <cerrno>
#include <string_view>
#include <sys/stat.h>
#include <utility>

namespace cxrcat::extraction {

namespace {

// How libarchive's zip reader starts the message for a compression method it cannot decode.
constexpr std::string_view k_unsupported_zip_method = "Unsupported ZIP compression method";

// libarchive's read block for archive files.
constexpr std::size_t k_archive_read_block_size = std::size_t{1} << 20U;

const char* header_pathname(archive_entry* entry) {
    const char* name = archive_entry_pathname(entry);
    return name != nullptr ? name : archive_entry_pathname_utf8(entry);
}

const char* header_symlink(archive_entry* entry) {
    const char* target = archive_entry_symlink(entry);
    return target != nullptr ? target : archive_entry_symlink_utf8(entry);
}

const char* header_hardlink(archive_entry* entry) {
    const char* target = archive_entry_hardlink(entry);
    return target != nullptr ? target : archive_entry_hardlink_utf8(entry);
}

EntryType header_type(archive_entry* entry) {
    switch (archive_entry_filetype(entry)) {
    case AE_IFREG: return EntryType::regular;
    case AE_IFDIR: return EntryType::directory;
    case AE_IFLNK: return EntryType::symlink;
    case AE_IFCHR: return EntryType::character_device;
    case AE_IFBLK: return EntryType::block_device;
    case AE_IFIFO: return EntryType::fifo;
    case AE_IFSOCK: return EntryType::socket;
    default: return EntryType::other;
    }
}

} // namespace

void ArchiveReader::Deleter::operator()(archive* handle) const noexcept {
    // archive_read_free's result is ignored: a destructor has no one to report to, and every
    // successful extraction has already checked archive_read_close.
    archive_read_free(handle);
}

ArchiveReader::ArchiveReader(std::unique_ptr<archive, Deleter> handle, std::string archive_name)
    : m_handle(std::move(handle)), m_archive_name(std::move(archive_name)) {}

Result<ArchiveReader> ArchiveReader::create(std::string archive_name) {
    std::unique_ptr<archive, Deleter> handle(archive_read_new());
    if (!handle) {
        return Error(ErrorCode::internal, "libarchive could not allocate a reader");
    }
    ArchiveReader reader(std::move(handle), std::move(archive_name));
    // An explicit list instead of *_all: the mtree "format" reads files named inside it from
    // the local disk, and some filters in filter_all run external programs.
    using Register = int (*)(archive*);
    static constexpr std::array<Register, 16> k_supports = {
        archive_read_support_format_tar,      archive_read_support_format_zip,     archive_read_support_format_7zip,
        archive_read_support_format_cpio,     archive_read_support_format_iso9660, archive_read_support_format_rar,
        archive_read_support_format_rar5,     archive_read_support_format_xar,     archive_read_support_filter_gzip,
        archive_read_support_filter_bzip2,    archive_read_support_filter_xz,      archive_read_support_filter_lzma,
        archive_read_support_filter_lzip,     archive_read_support_filter_zstd,    archive_read_support_filter_lz4,
        archive_read_support_filter_compress,
    };
    for (Register support : k_supports) {
        // ARCHIVE_WARN: this libarchive build would decompress through an external program;
        // slower but still correct.
        if (int rc = support(reader.m_handle.get()); rc != ARCHIVE_OK && rc != ARCHIVE_WARN) {
            return reader.failure("");
        }
    }
    return reader;
}

Result<ArchiveReader> ArchiveReader::open_files(const std::vector<std::filesystem::path>& files,
                                                std::string archive_name) {
    auto created = create(std::move(archive_name));
    if (!created) {
        return created.error();
    }
    ArchiveReader reader = std::move(*created);
    // open_filename(s) (unlike open_fd) can seek, so zip is read through its central directory;
    // over several files libarchive seeks across them as one byte range.
    int rc = ARCHIVE_FATAL;
    if (files.size() == 1) {
        rc = archive_read_open_filename(reader.m_handle.get(), files.front().c_str(), k_archive_read_block_size);
    } else {
        // Several parts: one seekable stream over them (parts_stream.hpp says why not
        // archive_read_open_filenames).
        auto parts = PartsStream::open(files);
        if (!parts) {
            return parts.error();
        }
        reader.m_parts = std::make_unique<PartsStream>(std::move(*parts));
        archive* handle = reader.m_handle.get();
        archive_read_set_read_callback(handle, [](archive*, void* data, const void** block) -> la_ssize_t {
            return static_cast<PartsStream*>(data)->read(block);
        });
        archive_read_set_seek_callback(handle, [](archive*, void* data, la_int64_t offset, int whence) -> la_int64_t {
            return static_cast<PartsStream*>(data)->seek(offset, whence);
        });
        archive_read_set_skip_callback(handle, [](archive*, void* data, la_int64_t request) -> la_int64_t {
            return static_cast<PartsStream*>(data)->skip(request);
        });
        archive_read_set_callback_data(handle, reader.m_parts.get());
        rc = archive_read_open1(handle);
    }
    if (rc != ARCHIVE_OK) {
        return reader.failure("");
    }
    return reader;
}

Result<ArchiveReader> ArchiveReader::open_memory(std::span<const std::byte> bytes, std::string archive_name) {
    auto created = create(std::move(archive_name));
    if (!created) {
        return created.error();
    }
    ArchiveReader reader = std::move(*created);
    // archive_read_open_memory never writes through the pointer; its parameter is not const.
    void* data = const_cast<std::byte*>(bytes.data()); // NOLINT(cppcoreguidelines-pro-type-const-cast)
    if (archive_read_open_memory(reader.m_handle.get(), data, bytes.size()) != ARCHIVE_OK) {
        return reader.failure("");
    }
    return reader;
}

Result<bool> ArchiveReader::next_header(EntryHeader& header, std::string_view context) {
    archive_entry* entry = nullptr;
    int rc = archive_read_next_header(m_handle.get(), &entry);
    if (rc == ARCHIVE_EOF) {
        return false;
    }
    // ARCHIVE_WARN still yields a usable header (typically a name that does not convert to the
    // locale); the caller vets the name like any other. RETRY means a damaged header.
    if (rc != ARCHIVE_OK && rc != ARCHIVE_WARN) {
        return failure(context);
    }
    header.pathname = header_pathname(entry);
    header.symlink = header_symlink(entry);
    header.hardlink = header_hardlink(entry);
    header.type = header_type(entry);
    header.owner_executable = (archive_entry_perm(entry) & S_IXUSR) != 0;
    header.size = archive_entry_size_is_set(entry) != 0 ? std::optional(archive_entry_size(entry)) : std::nullopt;
    header.sparse = archive_entry_sparse_count(entry) > 0;
    return true;
}

Result<std::optional<DataBlock>> ArchiveReader::next_block(std::string_view context) {
    const void* block = nullptr;
    std::size_t length = 0;
    la_int64_t offset = 0;
    int rc = archive_read_data_block(m_handle.get(), &block, &length, &offset);
    if (rc == ARCHIVE_EOF) {
        return std::optional<DataBlock>();
    }
    // ARCHIVE_WARN here is a failed check (zip reports a CRC mismatch this way).
    if (rc != ARCHIVE_OK) {
        return failure(context);
    }
    return std::optional(DataBlock{std::span(static_cast<const std::byte*>(block), length), offset});
}

Result<void> ArchiveReader::close() {
    if (archive_read_close(m_handle.get()) != ARCHIVE_OK) {
        return failure("");
    }
    return {};
}

Error ArchiveReader::failure(std::string_view context) const {
    int number = archive_errno(m_handle.get());
    const char* text = archive_error_string(m_handle.get());
    std::string message = "cannot extract " + m_archive_name + ": ";
    if (!context.empty()) {
        message += std::string(context) + ": ";
    }
    std::string_view detail = text != nullptr ? text : "unknown libarchive error";
    message += lower_first(std::string(detail));
    // A method libarchive has no decoder for says nothing about the bytes: name it, and do not
    // advise fetching the archive again.
    if (detail.starts_with(k_unsupported_zip_method)) {
        bool deflate64 = detail.substr(k_unsupported_zip_method.size()).starts_with(" (9:");
        if (deflate64) {
            message += " (Deflate64)";
        }
        return Error(ErrorCode::integrity, std::move(message),
                     {"libarchive cannot decompress this compression method; the archive is not known to be damaged",
                      deflate64 ? "7-Zip (7z x) can unpack Deflate64 zips"
                                : "another unzip tool (7z x, unzip) may support the method"});
    }
    switch (number) {
    // The archive file itself could not be read: the disk, not the data, is at fault.
    case EIO:
    case EACCES:
    case EPERM:
    case ENOENT:
    case EISDIR:
    case ENFILE:
    case EMFILE: return {ErrorCode::local_io, std::move(message)};
    // ARCHIVE_ERRNO_PROGRAMMER: misuse of the API, our bug.
    case EINVAL: return {ErrorCode::internal, std::move(message)};
    // ARCHIVE_ERRNO_FILE_FORMAT, ARCHIVE_ERRNO_MISC, and allocation failures driven by the
    // archive's own headers: the bytes are bad.
    default:
        return Error(ErrorCode::integrity, std::move(message),
                     {"the archive is damaged, truncated or not an archive; delete it and fetch it again"});
    }
}

} // namespace cxrcat::extraction
