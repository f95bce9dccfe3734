// SPDX-License-Identifier: Apache-2.0
#include "cxrcat/state/dataset_lock.hpp"

#include "cxrcat/state/dataset_state.hpp"

#include <array>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/file.h>
#include <system_error>
#include <unistd.h>

namespace cxrcat {

namespace {

std::string read_holder(int fd) {
    std::array<char, 512> buffer{};
    ssize_t got = ::pread(fd, buffer.data(), buffer.size() - 1, 0);
    std::string text = got > 0 ? std::string(buffer.data(), static_cast<std::size_t>(got)) : "";
    while (!text.empty() && (text.back() == '\n' || text.back() == '\0')) {
        text.pop_back();
    }
    return text.empty() ? "another cxrcat process" : text;
}

int lock_blocking(int fd, int operation) {
    int result = 0;
    do {
        result = ::flock(fd, operation);
    } while (result != 0 && errno == EINTR);
    return result;
}

Error dataset_lock_error(const std::string& what, const std::filesystem::path& path) {
    return {ErrorCode::local_io, what + " " + path.string() + ": " + std::generic_category().message(errno)};
}

// Opens path and takes `operation` (LOCK_EX or LOCK_SH) on it, telling on_wait whom it waits for.
// Returns the descriptor, which the caller owns even on error (-1 when it could not be opened).
Result<int> take_flock(const std::filesystem::path& path, int operation,
                       const std::function<void(const std::string&)>& on_wait, int& fd) {
    fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0666); // the umask decides who may also lock it
    if (fd < 0) {
        return dataset_lock_error("cannot open the lock", path);
    }
    if (::flock(fd, operation | LOCK_NB) != 0) {
        if (errno != EWOULDBLOCK) {
            return dataset_lock_error("cannot lock", path);
        }
        if (on_wait) {
            on_wait(read_holder(fd));
        }
        if (lock_blocking(fd, operation) != 0) {
            return dataset_lock_error("cannot lock", path);
        }
    }
    return fd;
}

void write_holder(int fd, const std::string& holder_description) {
    // Say who holds it, for the next process that has to wait.
    std::string holder = "pid " + std::to_string(::getpid()) + ": " + holder_description + "\n";
    if (::ftruncate(fd, 0) == 0) {
        (void)::pwrite(fd, holder.data(), holder.size(), 0);
    }
}

} // namespace

Result<DatasetLock> DatasetLock::acquire(const std::filesystem::path& dataset_dir,
                                         const std::string& holder_description,
                                         const std::function<void(const std::string&)>& on_wait,
                                         const std::string& shard_tag) {
    std::filesystem::path directory = state_dir(dataset_dir);
    std::error_code ec;
    std::filesystem::create_directories(directory, ec);
    if (ec) {
        return Error(ErrorCode::local_io, "cannot create " + directory.string() + ": " + ec.message());
    }
    int fd = -1;
    auto taken = take_flock(directory / "lock", shard_tag.empty() ? LOCK_EX : LOCK_SH, on_wait, fd);
    DatasetLock lock(fd);
    if (!taken) {
        return taken.error();
    }
    if (shard_tag.empty()) {
        write_holder(fd, holder_description);
        return lock;
    }
    auto shard = take_flock(directory / ("lock." + shard_tag), LOCK_EX, on_wait, lock.m_shard_fd);
    if (!shard) {
        return shard.error();
    }
    write_holder(lock.m_shard_fd, holder_description);
    return lock;
}

DatasetLock::DatasetLock(DatasetLock&& other) noexcept
    : m_fd(std::exchange(other.m_fd, -1)), m_shard_fd(std::exchange(other.m_shard_fd, -1)) {}

DatasetLock& DatasetLock::operator=(DatasetLock&& other) noexcept {
    if (this != &other) {
        for (int fd : {m_fd, m_shard_fd}) {
            if (fd >= 0) {
                ::close(fd);
            }
        }
        m_fd = std::exchange(other.m_fd, -1);
        m_shard_fd = std::exchange(other.m_shard_fd, -1);
    }
    return *this;
}

DatasetLock::~DatasetLock() {
    for (int fd : {m_shard_fd, m_fd}) {
        if (fd >= 0) {
            ::close(fd); // closing releases the flock
        }
    }
}

} // namespace cxrcat
