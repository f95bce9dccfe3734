// SPDX-License-Identifier: Apache-2.0
// The staging step: a private directory beside the destination that receives every entry, and an
// exact in-memory model of it, so no path opened there can cross a symlink nobody vetted.
#pragma once

#include "archive/entry_path.hpp"
#include "archive/extract_errors.hpp"
#include "archive/unique_fd.hpp"
#include "cxrcat/base/result.hpp"

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <sys/types.h>
#include <vector>

namespace cxrcat::extraction {

// Size and digest of one regular file's data (shared by the hardlinks to it).
struct Content {
    std::uint64_t size = 0;
    std::string sha256;
    std::string md5{}; // only when the extraction asks for it
};

enum class NodeKind { directory, file, symlink };

// What staging holds at one path.
struct Node {
    NodeKind kind = NodeKind::directory;
    std::size_t content = 0; // index into contents() for files (shared by hardlinks)
    std::string target;      // for symlinks
};

using StagingTree = std::map<std::string, Node, ComponentLess>;

class StagingArea {
  public:
    // refuse builds every refusal; its destination is filled in by prepare.
    explicit StagingArea(Refusal& refuse) : m_refuse(refuse) {}
    // Removes the staging directory unless it was published.
    ~StagingArea();
    StagingArea(const StagingArea&) = delete;
    StagingArea& operator=(const StagingArea&) = delete;
    StagingArea(StagingArea&&) = delete;
    StagingArea& operator=(StagingArea&&) = delete;

    // Resolves destination, creates its parent and a private (0700) staging directory beside it.
    Result<void> prepare(const std::filesystem::path& destination);

    // Creates the directories above path that staging lacks; refuses a path that runs through a
    // symlink or a file, so no later open can be redirected. label names the entry.
    Result<void> ensure_parents(std::string_view path, const std::string& label);
    // Adds the directory path (a later directory entry wins over an earlier file or link).
    Result<void> add_directory(const std::string& path, const std::string& label);
    // Makes room for a new non-directory at path: a duplicate entry replaces an earlier one.
    Result<void> clear_for_non_directory(const std::string& path, const std::string& label);
    // Creates the regular file path with mode for writing, with a fresh content slot.
    Result<Fd> create_file(const std::string& path, mode_t mode);
    // Links path to the earlier file target, sharing its content slot.
    Result<void> add_hardlink(const std::string& target, const std::string& path);
    // Creates the symlink path -> target (judged later, once every entry is known).
    Result<void> add_symlink(const std::string& target, const std::string& path);
    // Opens path (a file already in staging) for rewriting its data.
    Result<Fd> reopen_file(const std::string& path);
    // Removes the regular file path (one name of it: other hardlinks stay) from staging and its tree.
    Result<void> remove_file(const std::string& path);
    // Sets mode, flushes and closes a file written in staging.
    Result<void> finish_file(Fd& fd, const std::string& path, mode_t mode);

    // The destination's directory, opened when it exists (invalid otherwise).
    Result<void> open_destination();

    [[nodiscard]] const StagingTree& tree() const { return m_tree; }
    [[nodiscard]] std::vector<Content>& contents() { return m_contents; }
    [[nodiscard]] const std::vector<Content>& contents() const { return m_contents; }
    [[nodiscard]] const std::filesystem::path& destination() const { return m_destination; }
    [[nodiscard]] bool destination_exists() const { return m_destination_exists; }
    [[nodiscard]] const Fd& destination_fd() const { return m_destination_fd; }
    [[nodiscard]] const std::filesystem::path& path() const { return m_staging; }
    [[nodiscard]] const Fd& fd() const { return m_staging_fd; }
    // Called once staging itself has been renamed to destination: nothing is left to remove.
    void mark_moved() { m_staging.clear(); }

  private:
    Result<void> make_directory(const std::string& path);

    Refusal& m_refuse;
    std::filesystem::path m_destination;
    bool m_destination_exists = false;
    Fd m_destination_fd;
    std::filesystem::path m_staging;
    Fd m_staging_fd;
    std::string m_last_parent;
    StagingTree m_tree;
    std::vector<Content> m_contents;
};

} // namespace cxrcat::extraction
