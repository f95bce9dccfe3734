// SPDX-License-Identifier: Apache-2.0
// Private: the `<file>.part` being downloaded and the metadata that makes resuming it safe.
#pragma once

#include "cxrcat/base/result.hpp"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace cxrcat {

// One byte range of a split download: [start, end), with the bytes [start, done) on disk.
struct SegmentProgress {
    std::uint64_t start = 0;
    std::uint64_t end = 0;
    std::uint64_t done = 0;
};

// What a resumed request must prove to continue a part: the same URL, and an unchanged remote
// (the validator is sent back as If-Range). A split download also records each segment's progress,
// since its part file has holes.
struct PartMeta {
    std::string url_sha256;
    std::string etag;
    std::string last_modified;
    std::optional<std::uint64_t> total;
    std::vector<SegmentProgress> segments;

    // The If-Range value: a strong ETag, else Last-Modified, else "" (no safe resume).
    [[nodiscard]] std::string validator() const;
    [[nodiscard]] static std::optional<PartMeta> read(const std::filesystem::path& path);
    Result<void> write(const std::filesystem::path& path) const;
};

// An open `<destination>.part`. The destructor closes it and leaves it for a later resume; only
// commit() puts bytes at the destination, and only discard() deletes them.
class PartFile {
  public:
    [[nodiscard]] static Result<PartFile> open(const std::filesystem::path& destination);
    PartFile(PartFile&& other) noexcept;
    PartFile& operator=(PartFile&& other) noexcept;
    PartFile(const PartFile&) = delete;
    PartFile& operator=(const PartFile&) = delete;
    ~PartFile();

    [[nodiscard]] int fd() const { return m_fd; }
    [[nodiscard]] std::uint64_t size() const;
    [[nodiscard]] const std::filesystem::path& part_path() const { return m_part; }
    [[nodiscard]] std::filesystem::path meta_path() const;
    Result<void> truncate(std::uint64_t size);
    // Sets the length up front (for segmented downloads, which write at offsets).
    Result<void> preallocate(std::uint64_t size);
    // fsync, rename over the destination, fsync the directory, remove the metadata.
    Result<void> commit();
    // The first half of commit(): fsync, close, rename over the destination. The new directory
    // entry is not durable yet: the caller runs sync_directory() on destination().parent_path()
    // (once for many files) before it counts the file as installed, then remove_meta().
    Result<void> rename_into_place();
    // Deletes the resume metadata beside the part (after the install is durable).
    void remove_meta() const;
    [[nodiscard]] const std::filesystem::path& destination() const { return m_destination; }
    // Closes and deletes the part and its metadata.
    void discard();

  private:
    PartFile(int fd, std::filesystem::path part, std::filesystem::path destination);
    void close_fd();

    int m_fd = -1;
    std::filesystem::path m_part;
    std::filesystem::path m_destination;
};

// fsync of a directory: makes the renames into it durable. Filesystems that cannot sync a
// directory (EINVAL) count as done.
Result<void> sync_directory(const std::filesystem::path& directory);

// An error naming path and errno's reason, with "disk full" spelled out for ENOSPC/EDQUOT/EFBIG.
[[nodiscard]] Error file_error(const std::string& what, const std::filesystem::path& path, int error_number);

} // namespace cxrcat
