// SPDX-License-Identifier: Apache-2.0
// The libarchive functions cxrcat calls, forwarded to libarchive opened on first use
// (shared_library.hpp says why). A function used anywhere in the extract unit needs its line here,
// or the link fails.
#include "shared_library.hpp"

#include <archive.h>
#include <archive_entry.h>

namespace {

cxrcat::SharedLibrary& libarchive() {
    static cxrcat::SharedLibrary library(CXRCAT_LIBARCHIVE_SONAME, CXRCAT_LIBARCHIVE_PACKAGE);
    return library;
}

} // namespace

CXRCAT_FORWARD(libarchive, const char*, archive_version_string, (void), ())
CXRCAT_FORWARD(libarchive, archive*, archive_read_new, (void), ())
CXRCAT_FORWARD(libarchive, int, archive_read_free, (archive * handle), (handle))
CXRCAT_FORWARD(libarchive, int, archive_read_close, (archive * handle), (handle))
CXRCAT_FORWARD(libarchive, int, archive_errno, (archive * handle), (handle))
CXRCAT_FORWARD(libarchive, const char*, archive_error_string, (archive * handle), (handle))

// The formats and filters the extract unit accepts (extract/archive_reader.cpp lists them).
CXRCAT_FORWARD(libarchive, int, archive_read_support_format_tar, (archive * handle), (handle))
CXRCAT_FORWARD(libarchive, int, archive_read_support_format_zip, (archive * handle), (handle))
CXRCAT_FORWARD(libarchive, int, archive_read_support_format_7zip, (archive * handle), (handle))
CXRCAT_FORWARD(libarchive, int, archive_read_support_format_cpio, (archive * handle), (handle))
CXRCAT_FORWARD(libarchive, int, archive_read_support_format_iso9660, (archive * handle), (handle))
CXRCAT_FORWARD(libarchive, int, archive_read_support_format_rar, (archive * handle), (handle))
CXRCAT_FORWARD(libarchive, int, archive_read_support_format_rar5, (archive * handle), (handle))
CXRCAT_FORWARD(libarchive, int, archive_read_support_format_xar, (archive * handle), (handle))
CXRCAT_FORWARD(libarchive, int, archive_read_support_filter_gzip, (archive * handle), (handle))
CXRCAT_FORWARD(libarchive, int, archive_read_support_filter_bzip2, (archive * handle), (handle))
CXRCAT_FORWARD(libarchive, int, archive_read_support_filter_xz, (archive * handle), (handle))
CXRCAT_FORWARD(libarchive, int, archive_read_support_filter_lzma, (archive * handle), (handle))
CXRCAT_FORWARD(libarchive, int, archive_read_support_filter_lzip, (archive * handle), (handle))
CXRCAT_FORWARD(libarchive, int, archive_read_support_filter_zstd, (archive * handle), (handle))
CXRCAT_FORWARD(libarchive, int, archive_read_support_filter_lz4, (archive * handle), (handle))
CXRCAT_FORWARD(libarchive, int, archive_read_support_filter_compress, (archive * handle), (handle))

// Opening: one file by name, a memory buffer, or cxrcat's own callbacks (the parts of a split archive).
CXRCAT_FORWARD(libarchive, int, archive_read_open_filename,
               (archive * handle, const char* name,
                size_t _block_size), // NOLINT(bugprone-reserved-identifier): archive.h's name
               (handle, name, _block_size))
CXRCAT_FORWARD(libarchive, int, archive_read_open_memory, (archive * handle, const void* buff, size_t size),
               (handle, buff, size))
CXRCAT_FORWARD(libarchive, int, archive_read_open1, (archive * handle), (handle))
CXRCAT_FORWARD(libarchive, int, archive_read_set_callback_data, (archive * handle, void* data), (handle, data))
CXRCAT_FORWARD(libarchive, int, archive_read_set_read_callback, (archive * handle, archive_read_callback* call),
               (handle, call))
CXRCAT_FORWARD(libarchive, int, archive_read_set_seek_callback, (archive * handle, archive_seek_callback* call),
               (handle, call))
CXRCAT_FORWARD(libarchive, int, archive_read_set_skip_callback, (archive * handle, archive_skip_callback* call),
               (handle, call))

// Reading entries and their data.
CXRCAT_FORWARD(libarchive, int, archive_read_next_header, (archive * handle, archive_entry** entry), (handle, entry))
CXRCAT_FORWARD(libarchive, int, archive_read_data_block,
               (archive * a, const void** buff, size_t* size, la_int64_t* offset), (a, buff, size, offset))
CXRCAT_FORWARD(libarchive, const char*, archive_entry_pathname, (archive_entry * entry), (entry))
CXRCAT_FORWARD(libarchive, const char*, archive_entry_pathname_utf8, (archive_entry * entry), (entry))
CXRCAT_FORWARD(libarchive, const char*, archive_entry_symlink, (archive_entry * entry), (entry))
CXRCAT_FORWARD(libarchive, const char*, archive_entry_symlink_utf8, (archive_entry * entry), (entry))
CXRCAT_FORWARD(libarchive, const char*, archive_entry_hardlink, (archive_entry * entry), (entry))
CXRCAT_FORWARD(libarchive, const char*, archive_entry_hardlink_utf8, (archive_entry * entry), (entry))
CXRCAT_FORWARD(libarchive, mode_t, archive_entry_filetype, (archive_entry * entry), (entry))
CXRCAT_FORWARD(libarchive, mode_t, archive_entry_perm, (archive_entry * entry), (entry))
CXRCAT_FORWARD(libarchive, la_int64_t, archive_entry_size, (archive_entry * entry), (entry))
CXRCAT_FORWARD(libarchive, int, archive_entry_size_is_set, (archive_entry * entry), (entry))
CXRCAT_FORWARD(libarchive, int, archive_entry_sparse_count, (archive_entry * entry), (entry))
