// SPDX-License-Identifier: Apache-2.0
// The libarchive reader behind the extract units: opens an archive (a file, the ordered parts of a
// split file, or bytes in memory), walks its headers and data blocks, and turns libarchive's error
// state into an Error. No other unit sees a libarchive type.
#pragma once

#include "cxrcat/base/result.hpp"
#include "archive/parts_stream.hpp"

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

struct archive;

namespace cxrcat::extraction {

enum class EntryType { regular, directory, symlink, character_device, block_device, fifo, socket, other };

// One entry's header. The strings stay valid until the next call to next_header.
struct EntryHeader {
    const char* pathname = nullptr; // null when the name is unreadable
    const char* symlink = nullptr;  // symlink target, or null
    const char* hardlink = nullptr; // hardlink target, or null
    EntryType type = EntryType::other;
    bool owner_executable = false;
    std::optional<std::int64_t> size; // as the header states it, when it states it
    bool sparse = false;              // the entry has sparse regions
};

// A block of the current entry's data at offset from its start.
struct DataBlock {
    std::span<const std::byte> bytes;
    std::int64_t offset = 0;
};

class ArchiveReader {
  public:
    // Reads files in order as one archive (a byte-split archive's parts; usually a single file).
    // archive_name names the archive in every error. Unreadable files are ErrorCode::local_io.
    static Result<ArchiveReader> open_files(const std::vector<std::filesystem::path>& files, std::string archive_name);
    // Reads the archive held in bytes, which must outlive the reader.
    static Result<ArchiveReader> open_memory(std::span<const std::byte> bytes, std::string archive_name);

    // Advances to the next entry into header; false at the end of the archive. context names the
    // position for an error ("after entry 'x'", or empty).
    Result<bool> next_header(EntryHeader& header, std::string_view context);
    // The current entry's next data block, or nullopt after its last. context names the entry.
    Result<std::optional<DataBlock>> next_block(std::string_view context);
    // Finishes reading; reports a failure libarchive held back until the end.
    Result<void> close();

  private:
    struct Deleter {
        void operator()(archive* handle) const noexcept;
    };
    ArchiveReader(std::unique_ptr<archive, Deleter> handle, std::string archive_name);
    static Result<ArchiveReader> create(std::string archive_name);
    // The one place that turns libarchive's error state into an Error. context names the entry.
    [[nodiscard]] Error failure(std::string_view context) const;

    // Declared before the handle, so it outlives it: libarchive calls back into it until freed.
    std::unique_ptr<PartsStream> m_parts;
    std::unique_ptr<archive, Deleter> m_handle;
    std::string m_archive_name;
};

} // namespace cxrcat::extraction
