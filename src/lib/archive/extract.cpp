// SPDX-License-Identifier: Apache-2.0
// The extraction driver: reads every entry of an archive into a private staging area, vets it,
// then publishes. The pieces live in src/lib/extract/: entry_path (path safety), output_budget
// (limits), archive_reader (all of libarchive), staging_area, entry_writer, symlink_check, publish.
//
// Threat model: the archive is hostile, the destination and its parent are ours. Every entry is
// checked before anything is created, the staging directory is private (mkdtemp, 0700) and its
// in-memory tree is an exact model of it, so no path we open in staging can cross a symlink we did
// not vet. Nothing reaches destination until the whole archive has been read, checked and flushed
// to disk.
#include "cxrcat/archive/extract.hpp"

#include "archive/archive_reader.hpp"
#include "archive/entry_writer.hpp"
#include "archive/extract_errors.hpp"
#include "archive/output_budget.hpp"
#include "archive/publish.hpp"
#include "archive/staging_area.hpp"
#include "archive/symlink_check.hpp"
#include "cxrcat/files/install_mode.hpp"

#include <algorithm>
#include <cerrno>
#include <optional>
#include <set>
#include <sys/stat.h>
#include <utility>

namespace cxrcat {

namespace extraction {

namespace {

namespace fs = std::filesystem;

// Where an archive's bytes come from.
struct ArchiveInput {
    std::vector<fs::path> files; // in order; empty when bytes holds the archive
    std::span<const std::byte> bytes;
    std::string name;
    std::uint64_t size = 0;
};

class Extraction {
  public:
    Extraction(ArchiveInput input, const ExtractLimits& limits)
        : m_input(std::move(input)), m_limits(limits), m_refuse{m_input.name, {}}, m_staging(m_refuse),
          m_budget(limits, m_input.size) {}

    Result<std::vector<ExtractedFile>> run(const fs::path& destination) {
        // Open the archive first so an unreadable one leaves nothing behind.
        auto reader = m_input.files.empty() ? ArchiveReader::open_memory(m_input.bytes, m_input.name)
                                            : ArchiveReader::open_files(m_input.files, m_input.name);
        if (!reader) {
            return reader.error();
        }
        m_reader.emplace(std::move(*reader));
        if (auto prepared = m_staging.prepare(destination); !prepared) {
            return prepared.error();
        }
        m_writer.emplace(*m_reader, m_budget, m_refuse, m_limits.member_md5);
        if (auto read = read_entries(); !read) {
            return read.error();
        }
        if (auto checked = check_staged_symlinks(m_staging, m_refuse); !checked) {
            return checked.error();
        }
        std::vector<ExtractedFile> files = staged_files();
        if (m_limits.vet) {
            if (auto vetted = m_limits.vet(m_staging.path(), files); !vetted) {
                return vetted.error(); // the staging area goes with this object: nothing was installed
            }
        }
        if (m_limits.drop_members) {
            if (auto dropped = drop_staged(m_limits.drop_members(m_staging.path(), files), files); !dropped) {
                return dropped.error();
            }
        }
        if (auto published = publish_staging(m_staging, m_input.name); !published) {
            return published.error();
        }
        return files;
    }

  private:
    // The staged regular files (hardlinks included), sorted by path.
    [[nodiscard]] std::vector<ExtractedFile> staged_files() const {
        std::vector<ExtractedFile> files;
        for (const auto& [path, node] : m_staging.tree()) {
            if (node.kind == NodeKind::file) {
                const Content& content = m_staging.contents()[node.content];
                files.push_back(ExtractedFile{path, content.size, content.sha256, content.md5});
            }
        }
        std::sort(files.begin(), files.end(),
                  [](const ExtractedFile& a, const ExtractedFile& b) { return a.path < b.path; });
        return files;
    }

    // Removes the files named in dropped from staging and from files.
    Result<void> drop_staged(const std::set<std::string>& dropped, std::vector<ExtractedFile>& files) {
        for (const auto& path : dropped) {
            if (auto removed = m_staging.remove_file(path); !removed) {
                return removed;
            }
        }
        std::erase_if(files, [&](const ExtractedFile& file) { return dropped.contains(file.path); });
        return {};
    }

    Result<void> read_entries() {
        for (;;) {
            EntryHeader header;
            auto next = m_reader->next_header(header, m_last_entry.empty() ? std::string{}
                                                                           : "after entry " + quote_name(m_last_entry));
            if (!next) {
                return next.error();
            }
            if (!*next) {
                break;
            }
            if (!m_budget.count_entry()) {
                return m_refuse("it has more than " + std::to_string(m_budget.max_entries()) + " entries");
            }
            if (auto done = extract_entry(header); !done) {
                return done.error();
            }
        }
        return m_reader->close();
    }

    Result<void> extract_entry(const EntryHeader& header) {
        if (header.pathname == nullptr) {
            return m_refuse(m_last_entry.empty()
                                ? std::string("the first entry has no readable name")
                                : "the entry after " + quote_name(m_last_entry) + " has no readable name");
        }
        m_last_entry = header.pathname;
        const std::string label = "entry " + quote_name(m_last_entry);
        std::string path;
        switch (normalize_entry_path(m_last_entry, path)) {
        case PathCheck::ok: break;
        case PathCheck::absolute: return m_refuse(label + " has an absolute path");
        case PathCheck::escapes: return m_refuse(label + " escapes the destination");
        case PathCheck::dot_dot: return m_refuse(label + " has a '..' component");
        }
        std::string top = path.substr(0, path.find('/'));
        if (std::find(m_limits.reserved_names.begin(), m_limits.reserved_names.end(), top) !=
            m_limits.reserved_names.end()) {
            return m_refuse(label + " would write into " + quote_name(top) +
                            ", which cxrcat reserves for its own state");
        }
        if (m_limits.keep_member && !path.empty() &&
            (header.type == EntryType::directory || !m_limits.keep_member(path))) {
            return {}; // not selected (libarchive skips its data), or a directory made when a kept entry needs it
        }
        if (header.hardlink != nullptr) {
            return extract_hardlink(header, path, label);
        }
        if (path.empty()) {
            // "./" is destination itself; only a directory may name it.
            if (header.type == EntryType::directory) {
                return {};
            }
            return m_refuse(label + " has an empty path");
        }
        switch (header.type) {
        case EntryType::regular: return extract_file(header, path, label);
        case EntryType::directory: return m_staging.add_directory(path, label);
        case EntryType::symlink: return extract_symlink(header, path, label);
        case EntryType::character_device: return m_refuse(label + " is a character device");
        case EntryType::block_device: return m_refuse(label + " is a block device");
        case EntryType::fifo: return m_refuse(label + " is a fifo");
        case EntryType::socket: return m_refuse(label + " is a socket");
        case EntryType::other: break;
        }
        return m_refuse(label + " has an unsupported file type");
    }

    Result<void> extract_file(const EntryHeader& header, const std::string& path, const std::string& label) {
        if (auto parents = m_staging.ensure_parents(path, label); !parents) {
            return parents;
        }
        if (auto cleared = m_staging.clear_for_non_directory(path, label); !cleared) {
            return cleared;
        }
        // Only the owner-executable bit survives from the archive.
        mode_t mode =
            install_mode(header.owner_executable ? 0755 : 0644); // the umask; never others' for a private dataset
        auto fd = m_staging.create_file(path, mode);
        if (!fd) {
            return fd.error();
        }
        auto content = m_writer->write(header, *fd, m_staging.path() / path, label);
        if (!content) {
            return content.error();
        }
        m_staging.contents().back() = std::move(*content);
        return m_staging.finish_file(*fd, path, mode);
    }

    Result<void> extract_hardlink(const EntryHeader& header, const std::string& path, const std::string& label) {
        std::string_view raw_target = header.hardlink;
        std::string target;
        const std::string what = label + " is a hardlink to " + quote_name(raw_target);
        switch (normalize_entry_path(raw_target, target)) {
        case PathCheck::ok: break;
        case PathCheck::absolute:
        case PathCheck::escapes: return m_refuse(what + ", which escapes the destination");
        case PathCheck::dot_dot: return m_refuse(what + ", which has a '..' component");
        }
        if (path.empty()) {
            return m_refuse(label + " has an empty path");
        }
        auto source = m_staging.tree().find(target);
        if (source == m_staging.tree().end() && m_limits.keep_member && !m_limits.keep_member(target)) {
            return {}; // its data went with a file the member filter left out
        }
        if (source == m_staging.tree().end() || source->second.kind != NodeKind::file) {
            return m_refuse(what + ", which is not an earlier file in the archive");
        }
        if (target == path) {
            return m_refuse(label + " is a hardlink to itself");
        }
        std::size_t content = source->second.content;
        if (auto parents = m_staging.ensure_parents(path, label); !parents) {
            return parents;
        }
        if (auto cleared = m_staging.clear_for_non_directory(path, label); !cleared) {
            return cleared;
        }
        if (auto linked = m_staging.add_hardlink(target, path); !linked) {
            return linked;
        }
        // Some formats (cpio newc) carry the shared data on the last link rather than the first.
        if (!header.size || *header.size <= 0) {
            return {};
        }
        return rewrite_linked_data(header, path, content, label);
    }

    // Writes the data a hardlink entry carries into the inode it shares with content's file.
    Result<void> rewrite_linked_data(const EntryHeader& header, const std::string& path, std::size_t content,
                                     const std::string& label) {
        auto fd = m_staging.reopen_file(path);
        if (!fd) {
            return fd.error();
        }
        struct stat st {};
        if (::fstat(fd->get(), &st) != 0) {
            return io_error("cannot inspect", m_staging.path() / path, errno);
        }
        auto written = m_writer->write(header, *fd, m_staging.path() / path, label);
        if (!written) {
            return written.error();
        }
        m_staging.contents()[content] = std::move(*written); // every name of the inode sees the new data
        return m_staging.finish_file(*fd, path, st.st_mode & 07777);
    }

    Result<void> extract_symlink(const EntryHeader& header, const std::string& path, const std::string& label) {
        if (header.symlink == nullptr || *header.symlink == '\0') {
            return m_refuse(label + " is a symlink without a target");
        }
        std::string target = header.symlink;
        if (target.front() == '/') {
            return m_refuse(label + " is a symlink to " + quote_name(target) + ", an absolute path");
        }
        if (auto parents = m_staging.ensure_parents(path, label); !parents) {
            return parents;
        }
        if (auto cleared = m_staging.clear_for_non_directory(path, label); !cleared) {
            return cleared;
        }
        return m_staging.add_symlink(target, path);
    }

    ArchiveInput m_input;
    ExtractLimits m_limits;
    Refusal m_refuse;
    StagingArea m_staging;
    OutputBudget m_budget;
    std::optional<ArchiveReader> m_reader;
    std::optional<EntryWriter> m_writer;
    std::string m_last_entry;
};

// The size of a file that must be a regular file, to read as (part of) an archive.
Result<std::uint64_t> archive_file_size(const fs::path& file) {
    struct stat st {};
    if (::stat(file.c_str(), &st) != 0) {
        return io_error("cannot read archive", file, errno);
    }
    if (!S_ISREG(st.st_mode)) {
        return Error(ErrorCode::local_io, "cannot read archive " + file.string() + ": not a regular file");
    }
    return static_cast<std::uint64_t>(st.st_size);
}

// "luna25_images.zip.001..046" for parts that differ only after their last '.'.
std::string split_archive_name(const std::vector<fs::path>& parts) {
    std::string first = parts.front().filename().string();
    if (parts.size() == 1) {
        return first;
    }
    std::string last = parts.back().filename().string();
    auto dot = first.rfind('.');
    if (dot != std::string::npos && last.size() == first.size() && last.compare(0, dot + 1, first, 0, dot + 1) == 0) {
        return first + ".." + last.substr(dot + 1);
    }
    return first + ".." + last;
}

Result<std::vector<ExtractedFile>> extract_from_files(std::vector<fs::path> files, std::string name,
                                                      const fs::path& destination, const ExtractLimits& limits) {
    ArchiveInput input{std::move(files), {}, std::move(name), 0};
    for (const auto& file : input.files) {
        auto size = archive_file_size(file);
        if (!size) {
            return size.error();
        }
        input.size += *size;
    }
    Extraction extraction(std::move(input), limits);
    return extraction.run(destination);
}

} // namespace

} // namespace extraction

Result<std::vector<ExtractedFile>> extract_archive(const std::filesystem::path& archive,
                                                   const std::filesystem::path& destination,
                                                   const ExtractLimits& limits) {
    return extraction::extract_from_files({archive}, archive.filename().string(), destination, limits);
}

Result<std::vector<ExtractedFile>> extract_split_archive(const std::vector<std::filesystem::path>& parts,
                                                         const std::filesystem::path& destination,
                                                         const ExtractLimits& limits) {
    if (parts.empty()) {
        return Error(ErrorCode::internal, "a split archive needs at least one part");
    }
    return extraction::extract_from_files(parts, extraction::split_archive_name(parts), destination, limits);
}

Result<std::vector<ExtractedFile>> extract_archive_bytes(std::span<const std::byte> bytes,
                                                         const std::filesystem::path& destination,
                                                         const ExtractLimits& limits) {
    extraction::Extraction in_memory(extraction::ArchiveInput{{}, bytes, "in-memory archive", bytes.size()}, limits);
    return in_memory.run(destination);
}

} // namespace cxrcat
