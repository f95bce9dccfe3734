// SPDX-License-Identifier: Apache-2.0
// Permissions of installed datasets on shared machines: the umask, private datasets, --group.
#include "cxrcat/files/install_mode.hpp"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <grp.h>
#include <sys/stat.h>
#include <system_error>
#include <unistd.h>
#include <utility>
#include <vector>

namespace cxrcat {

namespace {

// Permission bits that keep a private dataset's files from others.
constexpr mode_t k_private_bits = S_IRWXO;

// The process umask, read without changing it where the kernel says it (/proc/self/status, Linux
// 4.7+); otherwise set and restored at once (before threads start: fetch calls this first).
mode_t process_umask() {
    std::ifstream status("/proc/self/status");
    std::string line;
    while (std::getline(status, line)) {
        if (line.rfind("Umask:", 0) == 0) {
            return static_cast<mode_t>(std::strtoul(line.c_str() + 6, nullptr, 8));
        }
    }
    mode_t mask = ::umask(022);
    ::umask(mask);
    return mask;
}

std::atomic<int>& install_umask_value() {
    static std::atomic<int> value{-1}; // -1: not read yet
    return value;
}

std::optional<gid_t> lookup_group(const std::string& name) {
    if (!name.empty() && std::all_of(name.begin(), name.end(), [](char c) { return c >= '0' && c <= '9'; })) {
        return static_cast<gid_t>(std::strtoul(name.c_str(), nullptr, 10));
    }
    long size = ::sysconf(_SC_GETGR_R_SIZE_MAX);
    std::vector<char> buffer(size > 0 ? static_cast<std::size_t>(size) : 16384);
    struct group entry {};
    struct group* found = nullptr;
    while (::getgrnam_r(name.c_str(), &entry, buffer.data(), buffer.size(), &found) == ERANGE) {
        buffer.resize(buffer.size() * 2);
    }
    return found != nullptr ? std::optional<gid_t>(found->gr_gid) : std::nullopt;
}

Result<void> give_to_group(const std::filesystem::path& directory, const std::string& group) {
    auto gid = lookup_group(group);
    if (!gid) {
        return Error(ErrorCode::usage, "unknown group '" + group + "' (--group or CXRCAT_GROUP)",
                     {"give a group you belong to (the 'groups' command lists them), by name or number"});
    }
    struct stat info {};
    if (::stat(directory.c_str(), &info) != 0) {
        return Error(ErrorCode::local_io,
                     "cannot read " + directory.string() + ": " + std::generic_category().message(errno));
    }
    if (info.st_gid != *gid && ::chown(directory.c_str(), static_cast<uid_t>(-1), *gid) != 0) {
        return Error(ErrorCode::local_io,
                     "cannot give " + directory.string() + " to group '" + group +
                         "': " + std::generic_category().message(errno),
                     {"you must own the directory and belong to the group ('groups' lists yours)"});
    }
    // setgid: what is created below inherits the group (and new directories the bit).
    mode_t mode = (info.st_mode & 07777) | S_ISGID | S_IRWXG;
    if (::chmod(directory.c_str(), mode) != 0) {
        return Error(ErrorCode::local_io,
                     "cannot make " + directory.string() + " setgid: " + std::generic_category().message(errno));
    }
    return {};
}

} // namespace

bool must_stay_private(const Dataset& dataset) {
    switch (dataset.access.access_class) {
    case AccessClass::credentialed:
    case AccessClass::competition:
    case AccessClass::gated:
    case AccessClass::restricted: return true;
    case AccessClass::open:
    case AccessClass::registration: break;
    }
    return dataset.redistribution == Redistribution::organisation_only;
}

std::uint32_t install_mode(std::uint32_t wanted) {
    int mask = install_umask_value().load();
    if (mask < 0) {
        mask = static_cast<int>(process_umask());
    }
    return wanted & ~static_cast<mode_t>(mask);
}

Result<InstallScope> InstallScope::enter(const Dataset& dataset, const std::filesystem::path& dataset_dir,
                                         const std::optional<std::string>& group) {
    mode_t previous = process_umask();
    std::error_code ec;
    // The parents (the data home, datasets/) are shared by every dataset: the ordinary umask.
    std::filesystem::create_directories(dataset_dir.parent_path(), ec);
    mode_t narrowed = previous;
    if (group) {
        narrowed &= static_cast<mode_t>(~static_cast<mode_t>(S_IRWXG)); // the umask does not hold the group back
    }
    if (must_stay_private(dataset)) {
        narrowed |= k_private_bits;
    }
    ::umask(narrowed);
    install_umask_value().store(static_cast<int>(narrowed));
    InstallScope scope(previous);
    if (!ec) {
        std::filesystem::create_directories(dataset_dir, ec);
    }
    if (ec) {
        return Error(ErrorCode::local_io, "cannot create " + dataset_dir.string() + ": " + ec.message());
    }
    if (group) {
        if (auto given = give_to_group(dataset_dir, *group); !given) {
            return given.error();
        }
    }
    struct stat info {};
    if (must_stay_private(dataset) && ::stat(dataset_dir.c_str(), &info) == 0 && (info.st_mode & k_private_bits) != 0) {
        // An install made before (or under another umask): closing the top directory closes it all.
        if (::chmod(dataset_dir.c_str(), info.st_mode & 07777 & ~k_private_bits) != 0) {
            return Error(ErrorCode::local_io,
                         "cannot make " + dataset_dir.string() + " private: " + std::generic_category().message(errno));
        }
    }
    return scope;
}

InstallScope::InstallScope(InstallScope&& other) noexcept : m_previous(std::exchange(other.m_previous, std::nullopt)) {}

InstallScope::~InstallScope() {
    if (m_previous) {
        ::umask(*m_previous);
        install_umask_value().store(static_cast<int>(*m_previous));
    }
}

bool may_share_inode(const std::filesystem::path& file, const std::filesystem::path& directory) {
    struct stat info {};
    struct stat parent {};
    if (::stat(file.c_str(), &info) != 0 || ::stat(directory.c_str(), &parent) != 0) {
        return false;
    }
    bool too_open = (info.st_mode & 0777 & ~install_mode(0777)) != 0;
    bool other_group = (parent.st_mode & S_ISGID) != 0 && info.st_gid != parent.st_gid;
    return !too_open && !other_group;
}

std::vector<std::filesystem::path> world_readable_entries(const std::filesystem::path& dataset_dir, std::size_t limit) {
    std::vector<std::filesystem::path> out;
    struct stat info {};
    if (::lstat(dataset_dir.c_str(), &info) == 0 && (info.st_mode & S_IROTH) != 0) {
        out.push_back(dataset_dir);
    }
    std::error_code ec;
    std::size_t seen = 0;
    for (std::filesystem::recursive_directory_iterator it(dataset_dir, ec), end; !ec && it != end && seen < limit;
         it.increment(ec), ++seen) {
        if (::lstat(it->path().c_str(), &info) == 0 && !S_ISLNK(info.st_mode) && (info.st_mode & S_IROTH) != 0) {
            out.push_back(it->path());
        }
    }
    return out;
}

} // namespace cxrcat
