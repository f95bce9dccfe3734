// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "cxrcat/base/result.hpp"

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <vector>

namespace cxrcat {

struct ExtractedFile;

// The slack allowed over a declared extracted size: 1% of it plus 1 MiB (directory entries,
// filesystem rounding and a publisher's rounded figure must not refuse an honest archive).
[[nodiscard]] std::uint64_t declared_output_allowance(std::uint64_t declared_bytes);

// Bounds on what one archive may produce, and checks it must pass; failing any refuses the whole
// archive.
struct ExtractLimits {
    std::uint64_t max_output_bytes = 0; // 0 = no absolute cap
    double max_ratio = 100.0;           // total output may be at most max_ratio * archive file size
    // The archive's extracted size as the catalog or the provider's listing states it: when set, the
    // output may reach it plus a small margin (k_declared_output_margin) whatever the ratio, so a
    // legitimately very compressible archive (sparse segmentation masks) extracts.
    std::optional<std::uint64_t> declared_output_bytes;
    std::uint64_t max_entries = 5'000'000;
    // Top-level names no entry may create or enter (fetch reserves ".cxrcat", its state directory).
    std::vector<std::string> reserved_names;
    // Also compute each regular file's MD5 while it is written (ExtractedFile::md5).
    bool member_md5 = false;
    // Called once every entry is staged and checked, before anything reaches the destination, with
    // the staging directory and the staged regular files; an error refuses the whole archive (the
    // staging directory is removed, nothing is installed). E.g. a checksum list inside the archive.
    std::function<Result<void>(const std::filesystem::path& staging, const std::vector<ExtractedFile>& files)> vet;
    // Called after vet, with the same arguments: the regular files whose paths it returns are left
    // out (removed from staging, not installed, not in the result) while the rest of the archive is
    // installed. E.g. fetch --decode: the members whose image does not open.
    std::function<std::set<std::string>(const std::filesystem::path& staging, const std::vector<ExtractedFile>& files)>
        drop_members;
    // When set, only the entries it keeps are installed (fetch --where on labels: the selected images
    // of an archive). It is asked with each non-directory entry's normalized path after the safety
    // checks of that path (and again with a hardlink's target); an entry it leaves out is skipped
    // unread, directories are only made as parents of kept entries, and a hardlink to a left-out
    // file is left out too (its data went with the file).
    std::function<bool(const std::string& path)> keep_member;
};

// One regular file installed by extract_archive.
struct ExtractedFile {
    std::string path; // relative to destination, '/' separated
    std::uint64_t size = 0;
    std::string sha256; // lowercase hex, computed while writing (no second pass over the data)
    std::string md5{};  // likewise, when ExtractLimits::member_md5 (else "")
};

// Safely unpacks archive (tar, zip, 7z, cpio, iso9660, rar, rar5, xar; plain or gzip, bzip2, xz,
// lzma, lzip, zstd, lz4, compress) into a staging directory beside destination, then renames its
// regular files, directories and inside-pointing symlinks into destination (created if missing; an
// existing non-directory at an entry's path is replaced by rename). File modes are 0644, or 0755
// when the archive gives the owner execute; directories 0755. Refuses the whole archive, installing
// nothing and removing the staging directory, when an entry has an absolute path or a `..`
// component, is a symlink or hardlink pointing outside (or a hardlink to no earlier file), is a
// device/fifo/socket, passes through a symlink, or when output exceeds limits (checked while
// streaming): ErrorCode::integrity naming the archive and the entry; a corrupt or truncated archive
// is ErrorCode::integrity too. Write failures are ErrorCode::local_io with the path and the reason
// ("disk full", ...). Returns the regular files installed (hardlinks included), sorted by path.
Result<std::vector<ExtractedFile>> extract_archive(const std::filesystem::path& archive,
                                                   const std::filesystem::path& destination,
                                                   const ExtractLimits& limits = {});

// extract_archive over the ordered parts of one archive split by bytes (`split -b`, or 7-Zip
// volumes "x.zip.001", "x.zip.002", ...): libarchive reads them as one stream, seeking across them
// (a zip's central directory is in the last part), so no joined copy is written. The ratio limit
// applies to the parts' total size; messages name the archive "<first part>..<last suffix>".
Result<std::vector<ExtractedFile>> extract_split_archive(const std::vector<std::filesystem::path>& parts,
                                                         const std::filesystem::path& destination,
                                                         const ExtractLimits& limits = {});

// extract_archive for an archive held in memory (valid for the call; messages call it
// "in-memory archive"); the ratio limit applies to bytes.size(). Meant for fuzzing and tests.
Result<std::vector<ExtractedFile>> extract_archive_bytes(std::span<const std::byte> bytes,
                                                         const std::filesystem::path& destination,
                                                         const ExtractLimits& limits = {});

} // namespace cxrcat
