// SPDX-License-Identifier: Apache-2.0
// Archives for the integration tests, written with libarchive so that every hostile shape (paths
// with `..`, absolute paths, links out, device nodes, bombs) is spelled out in the test itself.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace cxrcat::test {

enum class ArchiveFormat { tar, tar_gz, zip, zip_stored };
enum class EntryKind { file, directory, symlink, hardlink, char_device, zeros };

struct ArchiveEntry {
    std::string path;
    EntryKind kind = EntryKind::file;
    std::string data;       // file contents
    std::string link;       // symlink or hardlink target
    std::uint64_t size = 0; // zeros: how many
};

[[nodiscard]] inline ArchiveEntry entry_file(std::string path, std::string data) {
    return {std::move(path), EntryKind::file, std::move(data), {}, 0};
}
[[nodiscard]] inline ArchiveEntry entry_symlink(std::string path, std::string target) {
    return {std::move(path), EntryKind::symlink, {}, std::move(target), 0};
}
[[nodiscard]] inline ArchiveEntry entry_hardlink(std::string path, std::string target) {
    return {std::move(path), EntryKind::hardlink, {}, std::move(target), 0};
}
[[nodiscard]] inline ArchiveEntry entry_char_device(std::string path) {
    return {std::move(path), EntryKind::char_device, {}, {}, 0};
}
[[nodiscard]] inline ArchiveEntry entry_zeros(std::string path, std::uint64_t size) {
    return {std::move(path), EntryKind::zeros, {}, {}, size};
}

// Writes the entries, in order, to path. Throws std::runtime_error when libarchive refuses.
void build_archive(const std::filesystem::path& path, ArchiveFormat format, const std::vector<ArchiveEntry>& entries);

} // namespace cxrcat::test
