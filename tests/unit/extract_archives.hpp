// SPDX-License-Identifier: Apache-2.0
// Archives for the extract tests, built with libarchive's writer so every hostile shape is explicit in the
// test, and snapshots of the trees they leave behind.
#pragma once

#include "cxrcat/archive/extract.hpp"
#include "cxrcat/base/digest.hpp"
#include "support/files.hpp"
#include "support/temp_dir.hpp"

#include <archive.h>
#include <archive_entry.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <csignal>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <utility>
#include <vector>

namespace cxrcat::extract_test {

namespace fs = std::filesystem;

constexpr std::size_t k_mib = std::size_t{1} << 20U;
constexpr std::size_t k_quarter_mib = k_mib / 4;

enum class Kind { file, directory, symlink, hardlink, char_device, fifo };
enum class Format { tar, tar_gz, zip, zip_stored };

struct EntrySpec {
    std::string path;
    Kind kind = Kind::file;
    std::string data; // file contents
    std::string link; // symlink or hardlink target
    unsigned perm = 0644;
};

inline EntrySpec file(std::string path, std::string data, unsigned perm = 0644) {
    return EntrySpec{std::move(path), Kind::file, std::move(data), {}, perm};
}
inline EntrySpec dir(std::string path) {
    return EntrySpec{std::move(path), Kind::directory, {}, {}, 0755};
}
inline EntrySpec symlink(std::string path, std::string target) {
    return EntrySpec{std::move(path), Kind::symlink, {}, std::move(target), 0777};
}
inline EntrySpec hardlink(std::string path, std::string target) {
    return EntrySpec{std::move(path), Kind::hardlink, {}, std::move(target), 0644};
}

inline std::string read_file(const fs::path& path) {
    return test::read_text_file(path);
}

inline void write_file(const fs::path& path, std::string_view content) {
    test::write_text_file(path, content);
}

struct WriterDeleter {
    void operator()(archive* handle) const noexcept { archive_write_free(handle); }
};
struct EntryDeleter {
    void operator()(archive_entry* entry) const noexcept { archive_entry_free(entry); }
};

// Builds an archive file with libarchive's writer; throws (failing the test) on any error.
class ArchiveBuilder {
  public:
    ArchiveBuilder(const fs::path& path, Format format) : m_handle(archive_write_new()) {
        if (!m_handle) {
            throw std::runtime_error("archive_write_new failed");
        }
        if (format == Format::zip || format == Format::zip_stored) {
            check(archive_write_set_format_zip(get()), "set zip");
            if (format == Format::zip_stored) {
                check(archive_write_set_format_option(get(), "zip", "compression", "store"), "zip store");
            }
        } else {
            check(archive_write_set_format_pax_restricted(get()), "set pax");
            if (format == Format::tar_gz) {
                check(archive_write_add_filter_gzip(get()), "gzip");
            }
        }
        check(archive_write_open_filename(get(), path.c_str()), "open");
    }
    ~ArchiveBuilder() = default;
    ArchiveBuilder(const ArchiveBuilder&) = delete;
    ArchiveBuilder& operator=(const ArchiveBuilder&) = delete;
    ArchiveBuilder(ArchiveBuilder&&) = delete;
    ArchiveBuilder& operator=(ArchiveBuilder&&) = delete;

    void add(const EntrySpec& spec) {
        std::unique_ptr<archive_entry, EntryDeleter> entry(archive_entry_new());
        archive_entry_set_pathname(entry.get(), spec.path.c_str());
        archive_entry_set_perm(entry.get(), static_cast<mode_t>(spec.perm));
        archive_entry_set_mtime(entry.get(), 1'700'000'000, 0);
        switch (spec.kind) {
        case Kind::file:
            archive_entry_set_filetype(entry.get(), AE_IFREG);
            archive_entry_set_size(entry.get(), static_cast<la_int64_t>(spec.data.size()));
            break;
        case Kind::directory: archive_entry_set_filetype(entry.get(), AE_IFDIR); break;
        case Kind::symlink:
            archive_entry_set_filetype(entry.get(), AE_IFLNK);
            archive_entry_set_symlink(entry.get(), spec.link.c_str());
            break;
        case Kind::hardlink:
            archive_entry_set_filetype(entry.get(), AE_IFREG);
            archive_entry_set_hardlink(entry.get(), spec.link.c_str());
            archive_entry_set_size(entry.get(), 0);
            break;
        case Kind::char_device:
            archive_entry_set_filetype(entry.get(), AE_IFCHR);
            archive_entry_set_rdevmajor(entry.get(), 1);
            archive_entry_set_rdevminor(entry.get(), 3);
            break;
        case Kind::fifo: archive_entry_set_filetype(entry.get(), AE_IFIFO); break;
        }
        // ARCHIVE_WARN: a non-ASCII name that the C locale cannot convert is stored as raw bytes.
        if (int rc = archive_write_header(get(), entry.get()); rc != ARCHIVE_WARN) {
            check(rc, "header");
        }
        if (spec.kind == Kind::file) {
            write(spec.data);
        }
    }

    // A regular file of size zero bytes, written 1 MiB at a time.
    void add_zeros(const std::string& path, std::uint64_t size) {
        std::unique_ptr<archive_entry, EntryDeleter> entry(archive_entry_new());
        archive_entry_set_pathname(entry.get(), path.c_str());
        archive_entry_set_filetype(entry.get(), AE_IFREG);
        archive_entry_set_perm(entry.get(), 0644);
        archive_entry_set_size(entry.get(), static_cast<la_int64_t>(size));
        check(archive_write_header(get(), entry.get()), "header");
        std::string zeros(k_mib, '\0');
        for (std::uint64_t left = size; left > 0;) {
            auto piece = static_cast<std::size_t>(std::min<std::uint64_t>(left, zeros.size()));
            write(std::string_view(zeros).substr(0, piece));
            left -= piece;
        }
    }

    // A sparse regular file of logical size, holding extents (offset, bytes) and holes elsewhere.
    void add_sparse(const std::string& path, std::uint64_t size,
                    const std::vector<std::pair<std::uint64_t, std::string>>& extents) {
        std::unique_ptr<archive_entry, EntryDeleter> entry(archive_entry_new());
        archive_entry_set_pathname(entry.get(), path.c_str());
        archive_entry_set_filetype(entry.get(), AE_IFREG);
        archive_entry_set_perm(entry.get(), 0644);
        archive_entry_set_size(entry.get(), static_cast<la_int64_t>(size));
        for (const auto& [offset, bytes] : extents) {
            archive_entry_sparse_add_entry(entry.get(), static_cast<la_int64_t>(offset),
                                           static_cast<la_int64_t>(bytes.size()));
        }
        check(archive_write_header(get(), entry.get()), "header");
        // The writer takes the whole logical content and drops the holes itself.
        std::string chunk;
        for (std::uint64_t at = 0; at < size;) {
            auto piece = static_cast<std::size_t>(std::min<std::uint64_t>(size - at, k_mib));
            chunk.assign(piece, '\0');
            for (const auto& [offset, bytes] : extents) {
                for (std::size_t i = 0; i < bytes.size(); ++i) {
                    if (offset + i >= at && offset + i < at + piece) {
                        chunk[static_cast<std::size_t>(offset + i - at)] = bytes[i];
                    }
                }
            }
            write(chunk);
            at += piece;
        }
    }

    void close() { check(archive_write_close(get()), "close"); }

  private:
    archive* get() const { return m_handle.get(); }
    void check(int rc, const char* what) const {
        if (rc != ARCHIVE_OK) {
            const char* text = archive_error_string(get());
            throw std::runtime_error(std::string("libarchive writer: ") + what + ": " + (text != nullptr ? text : "?"));
        }
    }
    void write(std::string_view data) {
        if (data.empty()) {
            return;
        }
        la_ssize_t n = archive_write_data(get(), data.data(), data.size());
        if (n < 0 || static_cast<std::size_t>(n) != data.size()) {
            check(ARCHIVE_FATAL, "data");
        }
    }

    std::unique_ptr<archive, WriterDeleter> m_handle;
};

inline void build_archive(const fs::path& path, Format format, const std::vector<EntrySpec>& specs) {
    ArchiveBuilder builder(path, format);
    for (const auto& spec : specs) {
        builder.add(spec);
    }
    builder.close();
}

// Every path below root, with what it is and holds; symlinks are not followed.
using Snapshot = std::map<std::string, std::string>;

inline Snapshot snapshot(const fs::path& root) {
    Snapshot out;
    if (!fs::exists(fs::symlink_status(root))) {
        return out;
    }
    for (const auto& item : fs::recursive_directory_iterator(root)) {
        std::string rel = fs::relative(item.path(), root).generic_string();
        auto status = item.symlink_status();
        if (fs::is_symlink(status)) {
            out[rel] = "symlink:" + fs::read_symlink(item.path()).string();
        } else if (fs::is_directory(status)) {
            out[rel] = "dir";
        } else if (fs::is_regular_file(status)) {
            out[rel] = "file:" + sha256_hex(read_file(item.path()));
        } else {
            out[rel] = "other";
        }
    }
    return out;
}

inline std::set<std::string> listing(const fs::path& dir) {
    std::set<std::string> names;
    for (const auto& item : fs::directory_iterator(dir)) {
        names.insert(item.path().filename().string());
    }
    return names;
}

inline unsigned mode_of(const fs::path& path) {
    struct stat st {};
    if (::lstat(path.c_str(), &st) != 0) {
        return 0;
    }
    return st.st_mode & 07777U;
}

inline ino_t inode_of(const fs::path& path) {
    struct stat st {};
    return ::lstat(path.c_str(), &st) == 0 ? st.st_ino : 0;
}

} // namespace cxrcat::extract_test
