// SPDX-License-Identifier: Apache-2.0
#include "archive/publish.hpp"

#include "cxrcat/files/install_mode.hpp"
#include "archive/extract_errors.hpp"

#include <cerrno>
#include <cstdio>
#include <fcntl.h>
#include <set>
#include <sys/stat.h>
#include <unistd.h>

namespace cxrcat::extraction {

namespace fs = std::filesystem;

namespace {

// Makes renames into dir durable.
Result<void> sync_published_directory(const fs::path& dir) {
    Fd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (!fd.valid() || ::fsync(fd.get()) != 0) {
        return io_error("cannot flush directory", dir, errno);
    }
    return {};
}

// The top-most staged paths destination lacks, each moving with its subtree; fails on a
// conflict before anything has moved.
Result<std::vector<const std::string*>> plan_moves(const StagingArea& staging, const std::string& archive_name) {
    const auto& tree = staging.tree();
    const fs::path& destination = staging.destination();
    std::vector<const std::string*> moves;
    for (auto it = tree.begin(); it != tree.end();) {
        const auto& [path, node] = *it;
        struct stat st {};
        bool present = ::fstatat(staging.destination_fd().get(), path.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0;
        if (!present && errno != ENOENT) {
            return io_error("cannot inspect", destination / path, errno);
        }
        if (node.kind == NodeKind::directory) {
            if (present && !S_ISDIR(st.st_mode)) {
                return Error(ErrorCode::local_io, "cannot install " + archive_name + ": " +
                                                      (destination / path).string() +
                                                      " is in the way of a directory from the archive");
            }
            if (present) {
                ++it; // merge into the existing directory entry by entry
                continue;
            }
            moves.push_back(&path);
            do {
                ++it; // the subtree travels with its directory
            } while (it != tree.end() && is_under(it->first, path));
            continue;
        }
        if (present && S_ISDIR(st.st_mode)) {
            return Error(ErrorCode::local_io, "cannot install " + archive_name + ": " + (destination / path).string() +
                                                  " is a directory, the archive has a file there");
        }
        moves.push_back(&path);
        ++it;
    }
    return moves;
}

} // namespace

Result<void> publish_staging(StagingArea& staging, const std::string& archive_name) {
    const fs::path& destination = staging.destination();
    if (!staging.destination_exists()) {
        if (::fchmod(staging.fd().get(), install_mode(0755)) != 0) {
            return io_error("cannot set permissions of", staging.path(), errno);
        }
        if (::rename(staging.path().c_str(), destination.c_str()) == 0) {
            staging.mark_moved();
            return sync_published_directory(destination.parent_path());
        }
        if (errno != EEXIST && errno != ENOTEMPTY) {
            return io_error("cannot move into place", destination, errno);
        }
        // Someone created destination meanwhile: merge into it instead.
    }
    if (auto opened = staging.open_destination(); !opened) {
        return opened;
    }
    auto moves = plan_moves(staging, archive_name);
    if (!moves) {
        return moves.error();
    }
    std::set<std::string, ComponentLess> touched;
    for (const std::string* path : *moves) {
        // Path-based, but safe: every directory above path was checked to be a real directory
        // (not a symlink) in both trees above; rename never follows the last name.
        if (::renameat(staging.fd().get(), path->c_str(), staging.destination_fd().get(), path->c_str()) != 0) {
            return io_error("cannot move into place", destination / *path, errno);
        }
        touched.emplace(parent_of(*path));
    }
    for (const auto& dir : touched) {
        if (auto synced = sync_published_directory(destination / dir); !synced) {
            return synced;
        }
    }
    return {};
}

} // namespace cxrcat::extraction
