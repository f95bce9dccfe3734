// SPDX-License-Identifier: Apache-2.0
#include "archive_builder.hpp"

#include <archive.h>
#include <archive_entry.h>

#include <algorithm>
#include <memory>
#include <stdexcept>
#include <string_view>

namespace cxrcat::test {

namespace {

struct WriterDeleter {
    void operator()(archive* handle) const noexcept { archive_write_free(handle); }
};
struct EntryDeleter {
    void operator()(archive_entry* entry) const noexcept { archive_entry_free(entry); }
};

void check(archive* handle, int rc, const char* what) {
    if (rc != ARCHIVE_OK) {
        const char* text = archive_error_string(handle);
        throw std::runtime_error(std::string("libarchive writer: ") + what + ": " + (text != nullptr ? text : "?"));
    }
}

void write_data(archive* handle, std::string_view data) {
    while (!data.empty()) {
        la_ssize_t written = archive_write_data(handle, data.data(), data.size());
        if (written <= 0) {
            check(handle, ARCHIVE_FATAL, "data");
        }
        data.remove_prefix(static_cast<std::size_t>(written));
    }
}

} // namespace

void build_archive(const std::filesystem::path& path, ArchiveFormat format, const std::vector<ArchiveEntry>& entries) {
    std::unique_ptr<archive, WriterDeleter> owner(archive_write_new());
    archive* handle = owner.get();
    if (handle == nullptr) {
        throw std::runtime_error("archive_write_new failed");
    }
    if (format == ArchiveFormat::zip || format == ArchiveFormat::zip_stored) {
        check(handle, archive_write_set_format_zip(handle), "zip");
        if (format == ArchiveFormat::zip_stored) {
            check(handle, archive_write_set_format_option(handle, "zip", "compression", "store"), "store");
        }
    } else {
        check(handle, archive_write_set_format_pax_restricted(handle), "pax");
        if (format == ArchiveFormat::tar_gz) {
            check(handle, archive_write_add_filter_gzip(handle), "gzip");
            // Best deflate: as fast as any level on a bomb's zeros, which then shrink about a thousandfold.
            check(handle, archive_write_set_filter_option(handle, "gzip", "compression-level", "9"), "gzip level");
        }
    }
    check(handle, archive_write_open_filename(handle, path.c_str()), "open");
    for (const auto& spec : entries) {
        std::unique_ptr<archive_entry, EntryDeleter> entry(archive_entry_new());
        archive_entry_set_pathname(entry.get(), spec.path.c_str());
        archive_entry_set_mtime(entry.get(), 1'700'000'000, 0);
        archive_entry_set_perm(entry.get(), 0644);
        switch (spec.kind) {
        case EntryKind::file:
            archive_entry_set_filetype(entry.get(), AE_IFREG);
            archive_entry_set_size(entry.get(), static_cast<la_int64_t>(spec.data.size()));
            break;
        case EntryKind::zeros:
            archive_entry_set_filetype(entry.get(), AE_IFREG);
            archive_entry_set_size(entry.get(), static_cast<la_int64_t>(spec.size));
            break;
        case EntryKind::directory:
            archive_entry_set_filetype(entry.get(), AE_IFDIR);
            archive_entry_set_perm(entry.get(), 0755);
            break;
        case EntryKind::symlink:
            archive_entry_set_filetype(entry.get(), AE_IFLNK);
            archive_entry_set_perm(entry.get(), 0777);
            archive_entry_set_symlink(entry.get(), spec.link.c_str());
            break;
        case EntryKind::hardlink:
            archive_entry_set_filetype(entry.get(), AE_IFREG);
            archive_entry_set_hardlink(entry.get(), spec.link.c_str());
            archive_entry_set_size(entry.get(), 0);
            break;
        case EntryKind::char_device:
            archive_entry_set_filetype(entry.get(), AE_IFCHR);
            archive_entry_set_rdevmajor(entry.get(), 1);
            archive_entry_set_rdevminor(entry.get(), 3); // /dev/null
            break;
        }
        check(handle, archive_write_header(handle, entry.get()), "header");
        if (spec.kind == EntryKind::file) {
            write_data(handle, spec.data);
        } else if (spec.kind == EntryKind::zeros) {
            std::string zeros(std::size_t{1} << 20U, '\0');
            for (std::uint64_t left = spec.size; left > 0;) {
                auto piece = static_cast<std::size_t>(std::min<std::uint64_t>(left, zeros.size()));
                write_data(handle, std::string_view(zeros).substr(0, piece));
                left -= piece;
            }
        }
    }
    check(handle, archive_write_close(handle), "close");
}

} // namespace cxrcat::test
