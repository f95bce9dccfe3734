// SPDX-License-Identifier: Apache-2.0
#include "archive/staging_area.hpp"

#include "cxrcat/files/install_mode.hpp"

#include <cerrno>
#include <cstdlib>
#include <fcntl.h>
#include <sys/stat.h>
#include <system_error>
#include <unistd.h>

namespace cxrcat::extraction {

namespace fs = std::filesystem;

namespace {

// Keeps the staging directory's name under NAME_MAX whatever the destination is called.
constexpr std::size_t k_max_staging_stem = 200;

} // namespace

StagingArea::~StagingArea() {
    m_staging_fd = Fd();
    if (!m_staging.empty()) {
        std::error_code ignored;
        fs::remove_all(m_staging, ignored);
    }
}

Result<void> StagingArea::prepare(const fs::path& destination) {
    std::error_code ec;
    fs::path dest = fs::absolute(destination, ec).lexically_normal();
    if (ec) {
        return Error(ErrorCode::local_io, "cannot resolve " + destination.string() + ": " + lower_first(ec.message()));
    }
    if (!dest.has_filename()) {
        dest = dest.parent_path();
    }
    if (!dest.has_filename()) {
        return Error(ErrorCode::usage, "cannot extract " + m_refuse.archive_name + " into " + dest.string() +
                                           ": choose a directory below the root");
    }
    m_destination = dest;
    m_refuse.destination = dest;
    fs::path parent = dest.parent_path();
    fs::create_directories(parent, ec);
    if (ec) {
        return Error(ErrorCode::local_io,
                     "cannot create directory " + parent.string() + ": " + lower_first(ec.message()));
    }
    struct stat st {};
    if (::stat(dest.c_str(), &st) == 0) {
        if (!S_ISDIR(st.st_mode)) {
            return Error(ErrorCode::local_io, "cannot extract into " + dest.string() + ": not a directory");
        }
        m_destination_exists = true;
    } else if (errno != ENOENT) {
        return io_error("cannot inspect", dest, errno);
    }

    std::string stem = dest.filename().string().substr(0, k_max_staging_stem);
    std::string staging = (parent / ("." + stem + ".extract-XXXXXX")).string();
    if (::mkdtemp(staging.data()) == nullptr) {
        return io_error("cannot create a staging directory in", parent, errno);
    }
    m_staging = staging;
    m_staging_fd = Fd(::open(staging.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    if (!m_staging_fd.valid()) {
        return io_error("cannot open", m_staging, errno);
    }
    return {};
}

Result<void> StagingArea::ensure_parents(std::string_view path, const std::string& label) {
    std::string_view parent = parent_of(path);
    if (parent.empty() || parent == m_last_parent) {
        return {}; // directories are never replaced once created, so the cache stays true
    }
    std::size_t slash = 0;
    while (slash != std::string_view::npos) {
        slash = path.find('/', slash + 1);
        if (slash == std::string_view::npos) {
            break;
        }
        std::string prefix(path.substr(0, slash));
        auto it = m_tree.find(prefix);
        if (it == m_tree.end()) {
            if (auto made = make_directory(prefix); !made) {
                return made.error();
            }
        } else if (it->second.kind == NodeKind::symlink) {
            return m_refuse(label + " goes through the symlink " + quote_name(prefix));
        } else if (it->second.kind == NodeKind::file) {
            return m_refuse(label + " is inside the file " + quote_name(prefix));
        }
    }
    m_last_parent = parent;
    return {};
}

Result<void> StagingArea::make_directory(const std::string& path) {
    if (::mkdirat(m_staging_fd.get(), path.c_str(), install_mode(0755)) != 0) {
        return io_error("cannot create directory", m_staging / path, errno);
    }
    // Exact modes (as the umask and a private dataset allow); staging is private, so following the name is safe.
    if (::fchmodat(m_staging_fd.get(), path.c_str(), install_mode(0755), 0) != 0) {
        return io_error("cannot set permissions of", m_staging / path, errno);
    }
    m_tree.insert_or_assign(path, Node{NodeKind::directory, 0, {}});
    return {};
}

Result<void> StagingArea::clear_for_non_directory(const std::string& path, const std::string& label) {
    auto it = m_tree.find(path);
    if (it == m_tree.end()) {
        return {};
    }
    if (it->second.kind == NodeKind::directory) {
        return m_refuse(label + " would replace the directory made by an earlier entry");
    }
    if (::unlinkat(m_staging_fd.get(), path.c_str(), 0) != 0) {
        return io_error("cannot replace", m_staging / path, errno);
    }
    m_tree.erase(it);
    return {};
}

Result<void> StagingArea::add_directory(const std::string& path, const std::string& label) {
    if (auto parents = ensure_parents(path, label); !parents) {
        return parents;
    }
    auto it = m_tree.find(path);
    if (it != m_tree.end()) {
        if (it->second.kind == NodeKind::directory) {
            return {};
        }
        // A later directory entry wins over an earlier file or link of the same name.
        if (::unlinkat(m_staging_fd.get(), path.c_str(), 0) != 0) {
            return io_error("cannot replace", m_staging / path, errno);
        }
        m_tree.erase(it);
    }
    return make_directory(path);
}

Result<Fd> StagingArea::create_file(const std::string& path, mode_t mode) {
    Fd fd(::openat(m_staging_fd.get(), path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode));
    if (!fd.valid()) {
        return io_error("cannot create", m_staging / path, errno);
    }
    m_tree.insert_or_assign(path, Node{NodeKind::file, m_contents.size(), {}});
    m_contents.emplace_back();
    return fd;
}

Result<void> StagingArea::add_hardlink(const std::string& target, const std::string& path) {
    std::size_t content = m_tree.at(target).content;
    if (::linkat(m_staging_fd.get(), target.c_str(), m_staging_fd.get(), path.c_str(), 0) != 0) {
        return io_error("cannot create hardlink", m_staging / path, errno);
    }
    m_tree.insert_or_assign(path, Node{NodeKind::file, content, {}});
    return {};
}

Result<void> StagingArea::add_symlink(const std::string& target, const std::string& path) {
    if (::symlinkat(target.c_str(), m_staging_fd.get(), path.c_str()) != 0) {
        return io_error("cannot create symlink", m_staging / path, errno);
    }
    m_tree.insert_or_assign(path, Node{NodeKind::symlink, 0, target});
    return {};
}

Result<Fd> StagingArea::reopen_file(const std::string& path) {
    Fd fd(::openat(m_staging_fd.get(), path.c_str(), O_WRONLY | O_TRUNC | O_NOFOLLOW | O_CLOEXEC));
    if (!fd.valid()) {
        return io_error("cannot open", m_staging / path, errno);
    }
    return fd;
}

Result<void> StagingArea::remove_file(const std::string& path) {
    auto node = m_tree.find(path);
    if (node == m_tree.end() || node->second.kind != NodeKind::file) {
        return Error(ErrorCode::internal, "no staged file " + path + " to remove");
    }
    // Path-based, but every directory above path is a real directory the tree models (ensure_parents).
    if (::unlinkat(m_staging_fd.get(), path.c_str(), 0) != 0) {
        return io_error("cannot remove", m_staging / path, errno);
    }
    m_tree.erase(node);
    return {};
}

Result<void> StagingArea::finish_file(Fd& fd, const std::string& path, mode_t mode) {
    if (::fchmod(fd.get(), mode) != 0) {
        return io_error("cannot set permissions of", m_staging / path, errno);
    }
    // Durable before it can be renamed into place.
    if (::fsync(fd.get()) != 0) {
        return io_error("cannot flush", m_staging / path, errno);
    }
    if (fd.close_now() != 0) {
        return io_error("cannot close", m_staging / path, errno);
    }
    return {};
}

Result<void> StagingArea::open_destination() {
    if (m_destination_fd.valid()) {
        return {};
    }
    m_destination_fd = Fd(::open(m_destination.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (!m_destination_fd.valid()) {
        return io_error("cannot open", m_destination, errno);
    }
    return {};
}

} // namespace cxrcat::extraction
