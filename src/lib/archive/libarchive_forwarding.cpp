// SPDX-License-Identifier: Apache-2.0
// The libarchive functions cxrcat calls, forwarded to libarchive opened on first use
// (shared_library.hpp says why). A function used anywhere in the extract unit needs its line here,
// or the link fails.
#include "base/shared_library.hpp"

#include <archive.h>
#include <archive_entry.h>

namespace {

// Never destroyed: a forwarder may still be called while static objects are destroyed at exit.
cxrcat::SharedLibrary& libarchive() {
    static auto* const library = new cxrcat::SharedLibrary(CXRCAT_LIBARCHIVE_SONAME, CXRCAT_LIBARCHIVE_PACKAGE);
    return *library;
}

} // namespace

// The many functions that take only the reader or only an entry.
// NOLINTBEGIN(cppcoreguidelines-macro-usage,bugprone-macro-parentheses): see CXRCAT_FORWARD
#define FORWARD_ON_READER(returns, name) CXRCAT_FORWARD(libarchive, returns, name, (archive * handle), (handle))
#define FORWARD_ON_ENTRY(returns, name) CXRCAT_FORWARD(libarchive, returns, name, (archive_entry * entry), (entry))
// NOLINTEND(cppcoreguidelines-macro-usage,bugprone-macro-parentheses)

CXRCAT_FORWARD(libarchive, const char*, archive_version_string, (void), ())
CXRCAT_FORWARD(libarchive, archive*, archive_read_new, (void), ())
FORWARD_ON_READER(int, archive_read_free)
FORWARD_ON_READER(int, archive_read_close)
FORWARD_ON_READER(int, archive_errno)
FORWARD_ON_READER(const char*, archive_error_string)

// The formats and filters the extract unit accepts (extract/archive_reader.cpp lists them).
FORWARD_ON_READER(int, archive_read_support_format_tar)
FORWARD_ON_READER(int, archive_read_support_format_zip)
FORWARD_ON_READER(int, archive_read_support_format_7zip)
FORWARD_ON_READER(int, archive_read_support_format_cpio)
FORWARD_ON_READER(int, archive_read_support_format_iso9660)
FORWARD_ON_READER(int, archive_read_support_format_rar)
FORWARD_ON_READER(int, archive_read_support_format_rar5)
FORWARD_ON_READER(int, archive_read_support_format_xar)
FORWARD_ON_READER(int, archive_read_support_filter_gzip)
// A compressed single file (a label table .csv.gz): the "raw" format, one entry of the whole stream.
FORWARD_ON_READER(int, archive_read_support_format_raw)
FORWARD_ON_READER(int, archive_read_support_filter_bzip2)
FORWARD_ON_READER(int, archive_read_support_filter_xz)
FORWARD_ON_READER(int, archive_read_support_filter_lzma)
FORWARD_ON_READER(int, archive_read_support_filter_lzip)
FORWARD_ON_READER(int, archive_read_support_filter_zstd)
FORWARD_ON_READER(int, archive_read_support_filter_lz4)
FORWARD_ON_READER(int, archive_read_support_filter_compress)

// Opening: one file by name, a memory buffer, or cxrcat's own callbacks (the parts of a split archive).
CXRCAT_FORWARD(libarchive, int, archive_read_open_filename,
               (archive * handle, const char* name,
                size_t _block_size), // NOLINT(bugprone-reserved-identifier): archive.h's name
               (handle, name, _block_size))
CXRCAT_FORWARD(libarchive, int, archive_read_open_memory, (archive * handle, const void* buff, size_t size),
               (handle, buff, size))
FORWARD_ON_READER(int, archive_read_open1)
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
FORWARD_ON_ENTRY(const char*, archive_entry_pathname)
FORWARD_ON_ENTRY(const char*, archive_entry_pathname_utf8)
FORWARD_ON_ENTRY(const char*, archive_entry_symlink)
FORWARD_ON_ENTRY(const char*, archive_entry_symlink_utf8)
FORWARD_ON_ENTRY(const char*, archive_entry_hardlink)
FORWARD_ON_ENTRY(const char*, archive_entry_hardlink_utf8)
FORWARD_ON_ENTRY(mode_t, archive_entry_filetype)
FORWARD_ON_ENTRY(mode_t, archive_entry_perm)
FORWARD_ON_ENTRY(la_int64_t, archive_entry_size)
FORWARD_ON_ENTRY(int, archive_entry_size_is_set)
FORWARD_ON_ENTRY(int, archive_entry_sparse_count)
